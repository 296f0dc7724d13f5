import { describeEachDatabase } from '../support/databases';
import { insertInvoiceLines, insertRates, insertShipments } from '../support/fixtures';
import type { AuditResult } from '../../domain/audit/types';
import { auditOf } from './support';

/**
 * The lane contract a shipment is audited against, on the days a contract starts and ends: valid_from
 * and valid_to are both days of the contract. PostgreSQL finds contracts through validity intervals
 * cut at those days (domain/audit/statements.ts, laneIntervals), SQLite by one probe per group: both
 * must pick the same contract (the latest valid_from valid on the date) on every boundary.
 *
 * Lane Chicago -> Tulsa (DHL): 1,000 without a start, until 2026-01-31; 1,100 from 2026-01-15 (overlaps
 * the first) until 2026-02-28; none after. Every shipment is billed 1,300 so each finding names the
 * contract it was checked against.
 */
describeEachDatabase('audit contracts on their first and last days', (ctx) => {
  let result: AuditResult;

  beforeAll(async () => {
    await insertRates(ctx.db, [
      { origin: 'Chicago', destination: 'Tulsa', rate_basis: 'flat', rate: 1000, valid_to: '2026-01-31' },
      { origin: 'Chicago', destination: 'Tulsa', rate_basis: 'flat', rate: 1100, valid_from: '2026-01-15', valid_to: '2026-02-28' },
      // Another carrier's contract on the same lane never applies to DHL's invoice.
      { carrier: 'UPS', origin: 'Chicago', destination: 'Tulsa', rate_basis: 'flat', rate: 5000, valid_from: '2026-03-01' },
    ]);
    const days = { 'T-OPEN-START': '2025-06-01', 'T-BEFORE-NEW': '2026-01-14', 'T-NEW-FIRST': '2026-01-15', 'T-OLD-LAST': '2026-01-31', 'T-NEW-LAST': '2026-02-28', 'T-AFTER-ALL': '2026-03-01' };
    await insertShipments(ctx.db, Object.entries(days).map(([shipment_id, ship_date]) => ({ shipment_id, destination: 'Tulsa', ship_date })));
    await insertInvoiceLines(ctx.db, Object.keys(days).map((sid) => ({ invoice_number: 'INV-T1', invoice_date: '2026-03-10', shipment_id: sid, charge_type: 'linehaul' as const, amount: 1300 })));
    result = await auditOf(ctx.db)();
  });

  const contractOf = (sid: string) => {
    const f = result.findings.filter((x) => x.shipment_id === sid);
    expect(f).toHaveLength(1);
    return { rule: f[0].rule, rate: f[0].contract?.rate ?? null, expected: f[0].expected };
  };

  it('a contract without a start applies on any day up to its end', () => {
    expect(contractOf('T-OPEN-START')).toEqual({ rule: 'rate_overcharge', rate: 1000, expected: 1000 });
    expect(contractOf('T-BEFORE-NEW')).toEqual({ rule: 'rate_overcharge', rate: 1000, expected: 1000 });
  });

  it('from its first day the later contract wins while both are valid, and still on the earlier one\'s last day', () => {
    expect(contractOf('T-NEW-FIRST')).toEqual({ rule: 'rate_overcharge', rate: 1100, expected: 1100 });
    expect(contractOf('T-OLD-LAST')).toEqual({ rule: 'rate_overcharge', rate: 1100, expected: 1100 });
  });

  it('a contract applies on its last day, and no contract the day after', () => {
    expect(contractOf('T-NEW-LAST')).toEqual({ rule: 'rate_overcharge', rate: 1100, expected: 1100 });
    expect(contractOf('T-AFTER-ALL')).toEqual({ rule: 'no_contract_rate', rate: null, expected: null });
  });
});
