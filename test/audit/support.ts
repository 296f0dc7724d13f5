import type { Database } from '../../data/db';
import { createClock } from '../../domain/clock';
import { createAuditEngine } from '../../domain/audit/engine';
import { DEFAULT_TOLERANCE, type AuditFinding, type AuditQuery, type AuditResult, type AuditTolerance } from '../../domain/audit/types';

export const NOW = '2026-03-18T09:30:00Z';

export function auditOf(db: Database, tolerance: AuditTolerance = DEFAULT_TOLERANCE) {
  const engine = createAuditEngine({ sql: db.sql, clock: createClock('UTC', new Date(NOW)), tolerance });
  return (q: AuditQuery = {}): Promise<AuditResult> => engine.run(q);
}

/** The figures of a finding, compact enough to compare whole lists. */
export type Row = [invoice: string, shipment: string | null, rule: string, expected: number | null, billed: number, overcharge: number];

export const rowOf = (f: AuditFinding): Row => [f.invoice_number, f.shipment_id, f.rule, f.expected, f.billed, f.overcharge];

/** Rows in a fixed order (for set comparisons independent of the result order). */
export const sorted = (rows: Row[]): Row[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

export function only(r: AuditResult, shipment: string | null, rule?: string): AuditFinding {
  const fs = r.findings.filter((f) => f.shipment_id === shipment && (rule === undefined || f.rule === rule));
  if (fs.length !== 1) throw new Error(`expected one finding for ${shipment} ${rule ?? ''}, got ${fs.length}`);
  return fs[0];
}

export async function storedCount(db: Database): Promise<number> {
  const [{ n }] = await db.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_findings');
  return Number(n);
}
