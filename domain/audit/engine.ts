import type { Clock } from '../clock';
import type { SqlRunner } from '../sql';
import type { AuditEngine, AuditTolerance } from './types';

// STUB: replaced by the audit engine implementation.
export function createAuditEngine(_deps: { sql: SqlRunner; clock: Clock; tolerance: AuditTolerance }): AuditEngine {
  return { run: () => Promise.reject(new Error('audit engine not implemented yet')) };
}
