import { describeEachDatabase } from '../support/databases';
import { insertInvoiceLines, insertRates, insertShipments, type InvoiceLineFixture } from '../support/fixtures';
import type { AuditResult } from '../../domain/audit/types';
import { auditOf, only, rowOf, sorted, type Row } from './support';

/**
 * Every rule of data.md ("Audit rules") on one hand-written data set (carrier DHL unless said),
 * with the figures computed by hand in the comments. Tolerance: the default 1% / 1.00.
 */
describeEachDatabase('audit rules', (ctx) => {
  let result: AuditResult;

  beforeAll(async () => {
    const db = ctx.db;
    await insertRates(db, [
      { origin: 'Chicago', destination: 'Dallas', rate_basis: 'flat', rate: 1100, fuel_pct: 15, valid_from: '2026-01-01' },
      { origin: 'Chicago', destination: 'Memphis', rate_basis: 'per_kg', rate: 0.25, min_charge: 150, fuel_pct: 10, valid_from: '2026-01-01' },
      { origin: 'Chicago', destination: 'Denver', rate_basis: 'flat', rate: 50, valid_from: '2026-01-01' },
      { origin: 'Chicago', destination: 'Boston', rate_basis: 'flat', rate: 700, fuel_pct: null, valid_from: '2026-01-01' },
      // Expired before the shipment's date.
      { origin: 'Chicago', destination: 'Atlanta', rate_basis: 'flat', rate: 900, valid_from: '2025-01-01', valid_to: '2025-12-31' },
      // Two contracts on one lane: the one valid on the shipment's date, the latest valid_from.
      { origin: 'Chicago', destination: 'Houston', rate_basis: 'flat', rate: 1000, valid_from: '2025-01-01' },
      { origin: 'Chicago', destination: 'Houston', rate_basis: 'flat', rate: 1200, valid_from: '2026-02-01' },
      { origin: '*', destination: '*', rate_basis: 'accessorial', charge_code: 'DET', rate: 150, valid_from: '2026-01-01' },
      { origin: '*', destination: '*', rate_basis: 'accessorial', charge_code: 'LFT', rate: 75, valid_from: '2026-01-01' },
      // RES is allowed for UPS, not for DHL.
      { carrier: 'UPS', origin: '*', destination: '*', rate_basis: 'accessorial', charge_code: 'RES', rate: 50 },
    ]);
    const dallas = (id: string, extra: object = {}) => ({ shipment_id: id, destination: 'Dallas', ship_date: '2026-02-10', weight_kg: 1000, ...extra });
    await insertShipments(db, [
      dallas('S-FLAT-OVER'), dallas('S-FUEL-OVER'), dallas('S-TOL-EXACT'), dallas('S-TOL-OVER'), dallas('S-FUEL-EXACT'), dallas('S-FUEL-EDGE'),
      { shipment_id: 'S-SMALL-EXACT', destination: 'Denver', ship_date: '2026-02-10' },
      { shipment_id: 'S-SMALL-OVER', destination: 'Denver', ship_date: '2026-02-10' },
      { shipment_id: 'S-NOFUELPCT', destination: 'Boston', ship_date: '2026-02-10' },
      { shipment_id: 'S-KG-OVER', destination: 'Memphis', ship_date: '2026-02-10', weight_kg: 1000 },
      { shipment_id: 'S-KG-MIN', destination: 'Memphis', ship_date: '2026-02-10', weight_kg: 400 },
      { shipment_id: 'S-KG-BILLEDW', destination: 'Memphis', ship_date: '2026-02-10', weight_kg: null },
      { shipment_id: 'S-KG-NOW', destination: 'Memphis', ship_date: '2026-02-10', weight_kg: null },
      { shipment_id: 'S-KG-FUEL', destination: 'Memphis', ship_date: '2026-02-10', weight_kg: 1000 },
      { shipment_id: 'S-EXPIRED', destination: 'Atlanta', ship_date: '2026-02-01' },
      { shipment_id: 'S-OLDC', destination: 'Houston', ship_date: '2026-01-20' },
      { shipment_id: 'S-NEWC', destination: 'Houston', ship_date: '2026-02-05' },
      { shipment_id: 'S-NODATE', destination: 'Houston' },
      { shipment_id: 'S-ORDERDATE', destination: 'Houston', order_date: '2026-01-25' },
      { shipment_id: 'S-NOLANE', destination: 'Miami', ship_date: '2026-02-10' },
      dallas('S-ACC1'), dallas('S-ACC2'), dallas('S-ACC3'), dallas('S-ACC4'), dallas('S-ACC5'),
      dallas('S-DUPA'), dallas('S-DUPB'), dallas('S-CANC', { status: 'cancelled' }),
      dallas('S-W1'), dallas('S-W2'), dallas('S-W3'),
    ]);
    const lh = (inv: string, date: string, sid: string | null, amount: number, extra: Partial<InvoiceLineFixture> = {}): InvoiceLineFixture => ({
      invoice_number: inv, invoice_date: date, shipment_id: sid, charge_type: 'linehaul', amount, ...extra,
    });
    const fuel = (inv: string, date: string, sid: string | null, amount: number): InvoiceLineFixture => ({
      invoice_number: inv, invoice_date: date, shipment_id: sid, charge_type: 'fuel', amount,
    });
    const acc = (inv: string, date: string, sid: string, code: string, amount: number): InvoiceLineFixture => ({
      invoice_number: inv, invoice_date: date, shipment_id: sid, charge_type: 'accessorial', charge_code: code, amount,
    });
    const D = '2026-02-15';
    await insertInvoiceLines(db, [
      // Flat 1,100 + fuel 15% of the CONTRACTED 1,100 = 165.00.
      lh('INV-1001', D, 'S-FLAT-OVER', 1250, { billed_weight_kg: 1000 }), // 1250 - 1100 = 150 > max(11, 1)
      fuel('INV-1001', D, 'S-FLAT-OVER', 165), // exactly 15% of 1100: fine
      lh('INV-1002', D, 'S-FUEL-OVER', 1250), // 150 over
      fuel('INV-1002', D, 'S-FUEL-OVER', 187.5), // 15% of the billed 1250, but allowed 165: 22.50 over
      // Tolerance edges: 1% of 1100 = 11.00.
      lh('INV-1003', D, 'S-TOL-EXACT', 1111), // 11.00 over: not a finding
      lh('INV-1003', D, 'S-TOL-OVER', 1111.01), // 11.01 over: a finding
      lh('INV-1003', D, 'S-FUEL-EXACT', 1100),
      fuel('INV-1003', D, 'S-FUEL-EXACT', 166.65), // 165 + 1.65 (1% of 165 = 1.65 > 1.00): not a finding
      lh('INV-1003', D, 'S-FUEL-EDGE', 1100),
      fuel('INV-1003', D, 'S-FUEL-EDGE', 166.66), // 1.66 over: a finding
      // The 1.00 floor on small amounts: 1% of 50 = 0.50 < 1.00.
      lh('INV-1004', D, 'S-SMALL-EXACT', 51), // 1.00 over: not a finding
      lh('INV-1004', D, 'S-SMALL-OVER', 51.01), // 1.01 over: a finding
      // fuel_pct blank: no fuel allowed (0), 35 over.
      lh('INV-1005', D, 'S-NOFUELPCT', 700),
      fuel('INV-1005', D, 'S-NOFUELPCT', 35),
      // per_kg 0.25, minimum 150, fuel 10%.
      lh('INV-1010', D, 'S-KG-OVER', 275), // 0.25 x 1000 = 250: 25 over
      fuel('INV-1010', D, 'S-KG-OVER', 25), // 10% of 250 = 25: fine
      lh('INV-1010', D, 'S-KG-MIN', 160), // 0.25 x 400 = 100 < 150 minimum: 10 over (> max(1.50, 1))
      lh('INV-1010', D, 'S-KG-BILLEDW', 230, { billed_weight_kg: 800 }), // no shipment weight: 0.25 x 800 = 200: 30 over
      lh('INV-1010', D, 'S-KG-NOW', 999), // no weight at all: the rule is skipped
      lh('INV-1010', D, 'S-KG-FUEL', 250), // exactly 250
      fuel('INV-1010', D, 'S-KG-FUEL', 40), // 10% of 250 = 25: 15 over
      // Contract dates (invoice dated 2026-02-20).
      lh('INV-1020', '2026-02-20', 'S-EXPIRED', 900), // contract ended 2025-12-31: no_contract_rate
      lh('INV-1020', '2026-02-20', 'S-OLDC', 1200), // shipped 2026-01-20: the 1,000 contract: 200 over
      lh('INV-1020', '2026-02-20', 'S-NEWC', 1200), // shipped 2026-02-05: the 1,200 contract: fine
      lh('INV-1020', '2026-02-20', 'S-NODATE', 1300), // no dates: the invoice date 2026-02-20: 1,200: 100 over
      lh('INV-1020', '2026-02-20', 'S-ORDERDATE', 1300), // order date 2026-01-25: 1,000: 300 over
      lh('INV-1020', '2026-02-20', 'S-NOLANE', 500), // Chicago -> Miami has no contract at all
      // Accessorials (DET max 150, LFT max 75 per shipment).
      lh('INV-1030', D, 'S-ACC1', 1100),
      acc('INV-1030', D, 'S-ACC1', 'DET', 200), // 50 over
      acc('INV-1030', D, 'S-ACC2', 'DET', 100),
      acc('INV-1030', D, 'S-ACC2', 'DET', 60), // 100 + 60 = 160: 10 over
      acc('INV-1030', D, 'S-ACC3', 'LFT', 76), // 1.00 over = max(0.75, 1.00): not a finding
      acc('INV-1030', D, 'S-ACC4', 'RES', 50), // DHL has no RES: not allowed, 50
      acc('INV-1030', D, 'S-ACC5', 'det', 150), // code matched case-insensitively: fine
      { invoice_number: 'INV-1030', invoice_date: D, shipment_id: 'S-ACC5', charge_type: 'accessorial', amount: 20 }, // no code: not allowed
      // duplicate (a): INV-2000 billed again on another date: the second document, 1100 + 165 = 1265.
      lh('INV-2000', '2026-02-10', 'S-DUPA', 1100),
      fuel('INV-2000', '2026-02-10', 'S-DUPA', 165),
      lh('INV-2000', '2026-03-01', 'S-DUPA', 1100),
      fuel('INV-2000', '2026-03-01', 'S-DUPA', 165),
      // duplicate (b): S-DUPB's linehaul on INV-2100, then on INV-2101: the later one, 1250 (no rate finding on it too).
      lh('INV-2100', '2026-02-10', 'S-DUPB', 1100),
      fuel('INV-2100', '2026-02-10', 'S-DUPB', 165),
      lh('INV-2101', '2026-02-20', 'S-DUPB', 1250),
      // unmatched: blank (80) and unknown (500 + 50 = 550).
      { invoice_number: 'INV-3000', invoice_date: D, shipment_id: null, charge_type: 'other', amount: 80 },
      lh('INV-3000', D, 'SHP-NOPE', 500),
      fuel('INV-3000', D, 'SHP-NOPE', 50),
      // cancelled: 1100 + 165 = 1265.
      lh('INV-3001', D, 'S-CANC', 1100),
      fuel('INV-3001', D, 'S-CANC', 165),
      // weight (1% of 1000 kg = 10 kg).
      lh('INV-3002', D, 'S-W1', 1100, { billed_weight_kg: 1200 }), // 200 kg over
      lh('INV-3002', D, 'S-W2', 1100, { billed_weight_kg: 1010 }), // 10 kg over: not a finding
      lh('INV-3002', D, 'S-W3', 1100, { billed_weight_kg: 1010.01 }), // 10.01 kg over: a finding
    ]);
    result = await auditOf(db)({});
  });

  it('finds exactly the hand-computed findings', () => {
    const expected: Row[] = [
      ['INV-1001', 'S-FLAT-OVER', 'rate_overcharge', 1100, 1250, 150],
      ['INV-1002', 'S-FUEL-OVER', 'rate_overcharge', 1100, 1250, 150],
      ['INV-1002', 'S-FUEL-OVER', 'fuel_overcharge', 165, 187.5, 22.5],
      ['INV-1003', 'S-TOL-OVER', 'rate_overcharge', 1100, 1111.01, 11.01],
      ['INV-1003', 'S-FUEL-EDGE', 'fuel_overcharge', 165, 166.66, 1.66],
      ['INV-1004', 'S-SMALL-OVER', 'rate_overcharge', 50, 51.01, 1.01],
      ['INV-1005', 'S-NOFUELPCT', 'fuel_overcharge', 0, 35, 35],
      ['INV-1010', 'S-KG-OVER', 'rate_overcharge', 250, 275, 25],
      ['INV-1010', 'S-KG-MIN', 'rate_overcharge', 150, 160, 10],
      ['INV-1010', 'S-KG-BILLEDW', 'rate_overcharge', 200, 230, 30],
      ['INV-1010', 'S-KG-FUEL', 'fuel_overcharge', 25, 40, 15],
      ['INV-1020', 'S-EXPIRED', 'no_contract_rate', null, 900, 0],
      ['INV-1020', 'S-OLDC', 'rate_overcharge', 1000, 1200, 200],
      ['INV-1020', 'S-NODATE', 'rate_overcharge', 1200, 1300, 100],
      ['INV-1020', 'S-ORDERDATE', 'rate_overcharge', 1000, 1300, 300],
      ['INV-1020', 'S-NOLANE', 'no_contract_rate', null, 500, 0],
      ['INV-1030', 'S-ACC1', 'accessorial_over_max', 150, 200, 50],
      ['INV-1030', 'S-ACC2', 'accessorial_over_max', 150, 160, 10],
      ['INV-1030', 'S-ACC4', 'accessorial_not_allowed', 0, 50, 50],
      ['INV-1030', 'S-ACC5', 'accessorial_not_allowed', 0, 20, 20],
      ['INV-2000', null, 'duplicate_invoice', 0, 1265, 1265],
      ['INV-2101', 'S-DUPB', 'duplicate_invoice', 0, 1250, 1250],
      ['INV-3000', null, 'unmatched_shipment', 0, 80, 80],
      ['INV-3000', 'SHP-NOPE', 'unmatched_shipment', 0, 550, 550],
      ['INV-3001', 'S-CANC', 'cancelled_shipment', 0, 1265, 1265],
      ['INV-3002', 'S-W1', 'weight_overbilled', 1000, 1200, 0],
      ['INV-3002', 'S-W3', 'weight_overbilled', 1000, 1010.01, 0],
    ];
    expect(sorted(result.findings.map(rowOf))).toEqual(sorted(expected));
  });

  it('counts distinct invoices (carrier + number): INV-2000 billed twice counts once', () => {
    // 1001 1002 1003 1004 1005 1010 1020 1030 2000 2100 2101 3000 3001 3002
    expect(result.invoices_checked).toBe(14);
  });

  it('orders by overcharge descending, then invoice number', () => {
    const fs = result.findings;
    expect(fs.slice(0, 3).map((f) => [f.invoice_number, f.overcharge])).toEqual([
      ['INV-2000', 1265],
      ['INV-3001', 1265],
      ['INV-2101', 1250],
    ]);
    for (let i = 1; i < fs.length; i++) {
      expect(fs[i - 1].overcharge).toBeGreaterThanOrEqual(fs[i].overcharge);
      if (fs[i - 1].overcharge === fs[i].overcharge) expect(fs[i - 1].invoice_number <= fs[i].invoice_number).toBe(true);
    }
  });

  it('explains a rate overcharge with the contract it used', () => {
    const f = only(result, 'S-FLAT-OVER');
    expect(f.explanation).toBe(
      'Linehaul billed 1,250.00 but the DHL contract Chicago→Dallas (flat 1,100.00, valid from 2026-01-01) allows 1,100.00: overcharged 150.00.',
    );
    expect(f.carrier).toBe('DHL');
    expect(f.status).toBe('open');
    expect(typeof f.id).toBe('number');
    expect(f.contract).toMatchObject({ origin: 'Chicago', destination: 'Dallas', rate_basis: 'flat', rate: 1100, fuel_pct: 15, valid_from: '2026-01-01', valid_to: null });
  });

  it('rates per_kg on the weight, with the minimum charge', () => {
    expect(only(result, 'S-KG-MIN').contract).toMatchObject({ rate_basis: 'per_kg', rate: 0.25, min_charge: 150 });
    expect(only(result, 'S-KG-OVER').explanation).toBe(
      'Linehaul billed 275.00 but the DHL contract Chicago→Memphis (per_kg 0.25/kg x 1,000 kg, minimum 150.00, valid from 2026-01-01) allows 250.00: overcharged 25.00.',
    );
    expect(result.findings.filter((f) => f.shipment_id === 'S-KG-NOW')).toEqual([]);
  });

  it('checks fuel against the contracted linehaul, not the billed one', () => {
    const f = only(result, 'S-FUEL-OVER', 'fuel_overcharge');
    expect(f.explanation).toBe(
      'Fuel billed 187.50 but the DHL contract Chicago→Dallas allows 15% of the contracted linehaul 1,100.00 = 165.00: overcharged 22.50.',
    );
    expect(result.findings.filter((f) => f.shipment_id === 'S-FLAT-OVER').map((f) => f.rule)).toEqual(['rate_overcharge']);
  });

  it('uses the contract valid on the shipment date, the latest when several are', () => {
    expect(only(result, 'S-OLDC').contract).toMatchObject({ rate: 1000, valid_from: '2025-01-01' });
    expect(only(result, 'S-NODATE').contract).toMatchObject({ rate: 1200, valid_from: '2026-02-01' });
    expect(result.findings.filter((f) => f.shipment_id === 'S-NEWC')).toEqual([]);
    const expired = only(result, 'S-EXPIRED');
    expect(expired.contract).toBeNull();
    expect(expired.explanation).toMatch(/no valid contract/);
  });

  it('keeps the tolerance edges: exactly 1% or 1.00 over is fine, a cent more is not', () => {
    for (const ok of ['S-TOL-EXACT', 'S-FUEL-EXACT', 'S-SMALL-EXACT', 'S-ACC3', 'S-W2']) {
      expect(result.findings.filter((f) => f.shipment_id === ok)).toEqual([]);
    }
  });

  it('explains accessorials, duplicates, unmatched, cancelled and weight findings', () => {
    expect(only(result, 'S-ACC1').explanation).toBe(
      'Accessorial DET billed 200.00 for shipment S-ACC1 but the DHL contract allows at most 150.00 per shipment, valid from 2026-01-01: overcharged 50.00.',
    );
    expect(only(result, 'S-ACC4').charge_code).toBe('RES');
    expect(only(result, null, 'duplicate_invoice')).toMatchObject({ invoice_date: '2026-03-01' });
    expect(only(result, null, 'duplicate_invoice').explanation).toBe(
      'DHL billed invoice INV-2000 again on 2026-03-01 after the original of 2026-02-10: this second document (1,265.00) is a duplicate: overcharged 1,265.00.',
    );
    expect(only(result, 'S-DUPB').explanation).toBe(
      'Linehaul of shipment S-DUPB billed 1,250.00 on INV-2101 (2026-02-20) was already billed on invoice INV-2100 (2026-02-10): overcharged 1,250.00.',
    );
    expect(only(result, 'SHP-NOPE').explanation).toMatch(/not a known shipment/);
    expect(only(result, 'S-CANC').explanation).toMatch(/^Shipment S-CANC was cancelled/);
    expect(only(result, 'S-W1').explanation).toMatch(/already counted by the linehaul check/);
    expect(only(result, 'S-NOLANE').explanation).toBe(
      'Linehaul billed 500.00 for shipment S-NOLANE (Chicago→Miami, 2026-02-10), but DHL has no valid contract for that lane on that date: nothing to check it against.',
    );
    // The DET of S-ACC5 (lower-case code) is within its maximum; only the uncoded line is a finding.
    expect(only(result, 'S-ACC5')).toMatchObject({ rule: 'accessorial_not_allowed', charge_code: null, billed: 20 });
  });

  it('finds duplicates whose original lies outside the audited scope', async () => {
    const audit = auditOf(ctx.db);
    // Only March: the first INV-2000 (February) is not audited, yet its re-bill of 2026-03-01 is a duplicate.
    const march = await audit({ period: { from: '2026-03-01' } });
    expect(march.invoices_checked).toBe(1);
    expect(march.findings.map(rowOf)).toEqual([['INV-2000', null, 'duplicate_invoice', 0, 1265, 1265]]);
    // Only INV-2101: S-DUPB's linehaul was billed first on INV-2100, outside the scope.
    const one = await audit({ invoiceNumber: 'INV-2101' });
    expect(one.findings.map(rowOf)).toEqual([['INV-2101', 'S-DUPB', 'duplicate_invoice', 0, 1250, 1250]]);
    // Both documents of INV-2000 are one invoice.
    const both = await audit({ invoiceNumber: 'inv-2000' });
    expect(both.invoices_checked).toBe(1);
    expect(both.findings.map((f) => f.invoice_date)).toEqual(['2026-03-01']);
  });

  it('takes the invoice number as people type it', async () => {
    const audit = auditOf(ctx.db);
    for (const typed of ['INV-1001', 'inv-1001', ' INV-1001 ', '1001', '#1001']) {
      const r = await audit({ invoiceNumber: typed });
      expect([typed, r.invoices_checked, r.findings.map((f) => f.shipment_id)]).toEqual([typed, 1, ['S-FLAT-OVER']]);
    }
  });

  it('a scoped run changes nothing outside its scope', async () => {
    const [{ n }] = await ctx.db.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_findings');
    expect(Number(n)).toBe(result.findings.length);
  });
});

describeEachDatabase('audit tolerance (configurable)', (ctx) => {
  beforeAll(async () => {
    await insertRates(ctx.db, [{ origin: 'Chicago', destination: 'Dallas', rate_basis: 'flat', rate: 1000, fuel_pct: 10 }]);
    await insertShipments(ctx.db, ['A', 'B', 'C'].map((s) => ({ shipment_id: s, destination: 'Dallas', ship_date: '2026-02-01' })));
    await insertInvoiceLines(ctx.db, [
      { invoice_number: 'INV-1', invoice_date: '2026-02-05', shipment_id: 'A', charge_type: 'linehaul', amount: 1050 }, // 5% over
      { invoice_number: 'INV-1', invoice_date: '2026-02-05', shipment_id: 'B', charge_type: 'linehaul', amount: 1050.01 }, // 5% + 0.01
      { invoice_number: 'INV-1', invoice_date: '2026-02-05', shipment_id: 'C', charge_type: 'linehaul', amount: 1000.01 }, // a cent
    ]);
  });

  it('5% tolerance: exactly 5% over is fine, 5% + 0.01 is a finding', async () => {
    const r = await auditOf(ctx.db, { pct: 5, abs: 1 })({});
    expect(r.findings.map(rowOf)).toEqual([['INV-1', 'B', 'rate_overcharge', 1000, 1050.01, 50.01]]);
  });

  it('a per-query tolerance wins over the configured one; zero tolerance finds a cent', async () => {
    const r = await auditOf(ctx.db, { pct: 5, abs: 1 })({ tolerance: { pct: 0, abs: 0 } });
    expect(sorted(r.findings.map(rowOf))).toEqual(
      sorted([
        ['INV-1', 'A', 'rate_overcharge', 1000, 1050, 50],
        ['INV-1', 'B', 'rate_overcharge', 1000, 1050.01, 50.01],
        ['INV-1', 'C', 'rate_overcharge', 1000, 1000.01, 0.01],
      ]),
    );
  });

  it('the default (1% of 1000 = 10.00, above the 1.00 floor): the 50s are findings, the cent is not', async () => {
    const r = await auditOf(ctx.db)({});
    // 50 and 50.01 are above 10.00; 0.01 is not.
    expect(r.findings.map((f) => f.shipment_id).sort()).toEqual(['A', 'B']);
  });
});
