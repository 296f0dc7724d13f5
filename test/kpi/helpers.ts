import type { Database } from '../../data/db';
import { createClock } from '../../domain/clock';
import { createKpiEngine } from '../../domain/kpi/engine';
import type { KpiEngine } from '../../domain/kpi/types';

/** The engine on a test database, with a fixed business "now" (UTC) for the default `today`. */
export function engineFor(db: Database, now = '2026-11-24T12:00:00Z'): KpiEngine {
  return createKpiEngine({ sql: db.sql, clock: createClock('UTC', new Date(now)) });
}

export const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

let findingSeq = 0;

/**
 * Stores an audit finding on the invoice document `invoice_number` of `carrier` dated `invoice_date`
 * (the document must exist), as the audit engine does: invoice_id plus its copied number and carrier.
 */
export async function addFinding(
  db: Database,
  f: { carrier: string; invoice_number: string; invoice_date: string; status?: string; rule?: string },
): Promise<void> {
  const carrier = await db.models.Carrier.findOne({ where: { name_key: f.carrier.trim().toLowerCase() } });
  if (!carrier) throw new Error(`no carrier ${f.carrier}`);
  const carrierId = carrier.get('id') as number;
  const doc = await db.models.Invoice.findOne({ where: { carrier_id: carrierId, invoice_number: f.invoice_number, invoice_date: f.invoice_date } });
  if (!doc) throw new Error(`no invoice ${f.invoice_number} of ${f.carrier} dated ${f.invoice_date}`);
  const rule = f.rule ?? 'rate_overcharge';
  await db.models.AuditFinding.create({
    finding_key: `${doc.get('id')}|${rule}|test-${++findingSeq}`,
    invoice_id: doc.get('id'),
    invoice_number: f.invoice_number,
    carrier_id: carrierId,
    invoice_date: f.invoice_date,
    rule,
    expected: 100,
    billed: 120,
    overcharge: 20,
    status: f.status ?? 'open',
  });
}
