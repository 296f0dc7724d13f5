import type { Clock } from '../clock';
import type { SqlRunner } from '../sql';
import type { KpiEngine } from './types';

// STUB: replaced by the KPI engine implementation.
export function createKpiEngine(_deps: { sql: SqlRunner; clock: Clock }): KpiEngine {
  return {
    compute: () => Promise.reject(new Error('KPI engine not implemented yet')),
    compare: () => Promise.reject(new Error('KPI engine not implemented yet')),
  };
}
