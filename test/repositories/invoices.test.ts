import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertInvoiceLines, insertRates, insertShipments } from '../support/fixtures';
import { auditOf } from '../audit/support';
import { createRepositories } from '../../data/repositories';
import type { AuditFinding } from '../../domain/audit/types';

const NOW = new Date('2026-03-18T09:30:00Z');

/**
 * Contracts: DHL Chicago->Dallas flat 1,100 (fuel 15%); DHL Chicago->Austin per_kg 0.5, min 300, fuel 10%.
 *   INV-2026-2291 DHL 02-10  S1 linehaul 1,250 -> rate_overcharge 150; S2 fuel 200 -> fuel 35
 *   INV-2026-2292 DHL 02-11  S3 per_kg 1,000 kg: linehaul 700 -> expected 500, overcharge 200
 *   INV-2026-2291 DHL 02-20  billed again -> duplicate_invoice
 *   INV 7 UPS 02-12  S4 (no UPS contract) linehaul 90 -> no_contract_rate; SX unknown -> unmatched
 *   INV-2026-2300 DHL 02-15  S1 linehaul again -> duplicate_invoice (b)
 */
describeEachDatabase('invoice and finding repositories', (ctx) => {
  const repos = () => createRepositories(ctx.db, { now: () => NOW });
  let findings: AuditFinding[];

  beforeAll(async () => {
    await clearBusinessData(ctx.db);
    await insertRates(ctx.db, [
      { origin: 'Chicago', destination: 'Dallas', rate_basis: 'flat', rate: 1100, fuel_pct: 15 },
      { origin: 'Chicago', destination: 'Austin', rate_basis: 'per_kg', rate: 0.5, min_charge: 300, fuel_pct: 10, valid_from: '2026-01-01' },
    ]);
    await insertShipments(ctx.db, [
      { shipment_id: 'S1', destination: 'Dallas', ship_date: '2026-02-01' },
      { shipment_id: 'S2', destination: 'Dallas', ship_date: '2026-02-02' },
      { shipment_id: 'S3', destination: 'Austin', ship_date: '2026-02-03', weight_kg: 1000 },
      { shipment_id: 'S4', carrier: 'UPS', destination: 'Memphis', ship_date: '2026-02-04' },
    ]);
    await insertInvoiceLines(ctx.db, [
      { invoice_number: 'INV-2026-2291', invoice_date: '2026-02-10', shipment_id: 'S1', charge_type: 'linehaul', amount: 1250 },
      { invoice_number: 'INV-2026-2291', invoice_date: '2026-02-10', shipment_id: 'S2', charge_type: 'linehaul', amount: 1100 },
      { invoice_number: 'INV-2026-2291', invoice_date: '2026-02-10', shipment_id: 'S2', charge_type: 'fuel', amount: 200 },
      { invoice_number: 'INV-2026-2292', invoice_date: '2026-02-11', shipment_id: 'S3', charge_type: 'linehaul', amount: 700 },
      { invoice_number: 'INV-2026-2291', invoice_date: '2026-02-20', shipment_id: 'S2', charge_type: 'other', amount: 10.1 },
      { invoice_number: 'INV 7', carrier: 'UPS', invoice_date: '2026-02-12', shipment_id: 'S4', charge_type: 'linehaul', amount: 90 },
      { invoice_number: 'INV 7', carrier: 'UPS', invoice_date: '2026-02-12', shipment_id: 'SX', charge_type: 'linehaul', amount: 45.55 },
      { invoice_number: 'INV-2026-2300', invoice_date: '2026-02-15', shipment_id: 'S1', charge_type: 'linehaul', amount: 1100 },
    ]);
    findings = (await auditOf(ctx.db)({})).findings;
  });

  describe('invoices.find', () => {
    it('matches like the audit: case and spaces ignored, digits alone match "...-2291"', async () => {
      const exact = await repos().invoices.find(' inv-2026-2291 ');
      expect(exact.map((i) => [i.invoiceNumber, i.invoiceDate])).toEqual([
        ['INV-2026-2291', '2026-02-10'],
        ['INV-2026-2291', '2026-02-20'],
      ]);
      expect((await repos().invoices.find('2291')).map((i) => i.invoiceNumber)).toEqual(['INV-2026-2291', 'INV-2026-2291']);
      expect((await repos().invoices.find('inv7')).map((i) => i.invoiceNumber)).toEqual(['INV 7']);
      expect((await repos().invoices.find('#INV 7')).map((i) => i.invoiceNumber)).toEqual(['INV 7']);
      expect(await repos().invoices.find('229')).toEqual([]);
      expect(await repos().invoices.find('   ')).toEqual([]);
    });

    it('narrows to a carrier by name, case-insensitive', async () => {
      expect(await repos().invoices.find('INV 7', 'dhl')).toEqual([]);
      expect((await repos().invoices.find('INV 7', 'ups')).map((i) => i.carrier)).toEqual(['UPS']);
    });

    it('totals the lines and the open findings', async () => {
      const [first, second] = await repos().invoices.find('INV-2026-2291', 'DHL');
      // 1250 + 1100 + 200; findings rate 150 + fuel 35
      expect(first).toMatchObject({ carrier: 'DHL', total: 2550, lineCount: 3, findingCount: 2, overcharge: 185 });
      // the second document: duplicate_invoice of its 10.10
      expect(second).toMatchObject({ total: 10.1, lineCount: 1, findingCount: 1, overcharge: 10.1 });
      const [ups] = await repos().invoices.find('INV 7');
      expect(ups).toMatchObject({ total: 135.55, lineCount: 2, findingCount: 2, overcharge: 45.55 });
    });
  });

  it('closestNumbers suggests existing invoice numbers', async () => {
    expect(await repos().invoices.closestNumbers('INV-2026-2239', 2)).toEqual(['INV-2026-2291', 'INV-2026-2292']);
    expect(await repos().invoices.closestNumbers('INV-2026-230', 1)).toEqual(['INV-2026-2300']);
  });

  describe('findings.get', () => {
    it('returns each finding exactly as the audit engine does, with contract and explanation', async () => {
      expect(findings.map((f) => f.rule).sort()).toEqual([
        'duplicate_invoice', 'duplicate_invoice', 'fuel_overcharge', 'no_contract_rate', 'rate_overcharge', 'rate_overcharge', 'unmatched_shipment',
      ]);
      for (const f of findings) {
        expect(await repos().findings.get(f.id!)).toEqual(f);
      }
      const perKg = findings.find((f) => f.shipment_id === 'S3')!;
      expect(perKg.contract).toMatchObject({ rate_basis: 'per_kg', rate: 0.5, min_charge: 300, valid_from: '2026-01-01' });
      expect(perKg.explanation).toContain('x 1,000 kg');
    });

    it('is null for an unknown id', async () => {
      expect(await repos().findings.get(987654)).toBeNull();
    });
  });

  describe('findings.setStatus', () => {
    it('sets the status once (changed), then reports no change', async () => {
      const f = findings.find((x) => x.rule === 'no_contract_rate')!;
      const r = await repos().findings.setStatus(f.id!, 'accepted', { by: 'finance:lee', reason: 'spot rate agreed' });
      expect(r).toMatchObject({ changed: true, finding: { id: f.id, status: 'accepted' } });
      const [row] = await ctx.db.sql.query<{ status_by: string; status_reason: string }>('SELECT status_by, status_reason FROM audit_findings WHERE id = ?', [f.id!]);
      expect(row).toEqual({ status_by: 'finance:lee', status_reason: 'spot rate agreed' });
      expect(await repos().findings.setStatus(f.id!, 'accepted', { by: 'finance:lee' })).toMatchObject({ changed: false });
      expect(await repos().findings.setStatus(987654, 'resolved', { by: 'x' })).toBeNull();
    });
  });

  describe('invoices.recordDispute', () => {
    it('records a dispute and marks the open findings of the invoice disputed, once per request key', async () => {
      const [doc] = await repos().invoices.find('INV-2026-2291');
      const first = await repos().invoices.recordDispute({ invoiceId: doc.id, amount: 185, reason: 'contract rate', by: 'slack:U1', requestKey: 'dispute-1' });
      expect(first.created).toBe(true);
      expect(first.dispute).toEqual({
        id: expect.any(Number), invoiceId: doc.id, invoiceNumber: 'INV-2026-2291', carrier: 'DHL', amount: 185, reason: 'contract rate',
        createdBy: 'slack:U1', createdAt: '2026-03-18T09:30:00.000Z',
      });
      const statuses = await ctx.db.sql.query<{ status: string; status_reason: string | null }>(
        'SELECT status, status_reason FROM audit_findings WHERE invoice_id = ? ORDER BY id', [doc.id],
      );
      expect(statuses).toEqual([
        { status: 'disputed', status_reason: 'contract rate' },
        { status: 'disputed', status_reason: 'contract rate' },
      ]);
      const again = await repos().invoices.recordDispute({ invoiceId: doc.id, amount: 999, by: 'slack:U1', requestKey: 'dispute-1' });
      expect(again).toEqual({ dispute: first.dispute, created: false });
      // disputed findings still count on the invoice
      expect((await repos().invoices.find('INV-2026-2291'))[0]).toMatchObject({ findingCount: 2, overcharge: 185 });
    });

    it('two concurrent disputes with one key record one', async () => {
      const [doc] = await repos().invoices.find('INV-2026-2292');
      const [a, b] = await Promise.all([
        repos().invoices.recordDispute({ invoiceId: doc.id, by: 'u', requestKey: 'dispute-race' }),
        repos().invoices.recordDispute({ invoiceId: doc.id, by: 'u', requestKey: 'dispute-race' }),
      ]);
      expect(a.dispute.id).toBe(b.dispute.id);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(a.dispute.amount).toBeNull();
      const [{ n }] = await ctx.db.sql.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM invoice_disputes WHERE request_key = 'dispute-race'");
      expect(Number(n)).toBe(1);
    });

    it('refuses an unknown invoice', async () => {
      await expect(repos().invoices.recordDispute({ invoiceId: 987654, by: 'u', requestKey: 'dispute-x' })).rejects.toThrow(/no invoice/);
    });
  });
});
