import { describeEachDatabase } from '../support/databases';
import { insertInvoiceLines, insertRates, insertShipments } from '../support/fixtures';
import { runCli } from '../support/cli';
import { auditOf, NOW, only, rowOf, sorted, storedCount } from './support';

/**
 * Storage (upsert by finding_key, status kept, stale open findings dropped), the scope of a run
 * (period, carrier, invoice, customer, minAmount) and the `waybill audit --json` shape of data.md.
 *
 * Contracts: DHL Chicago->Dallas flat 1,100 (fuel 15%), UPS Chicago->Dallas flat 1,000.
 *   INV-A1 DHL 2026-01-10  S1 linehaul 1,250  -> rate_overcharge 150
 *   INV-A2 DHL 2026-02-10  S2 linehaul 1,300  -> rate_overcharge 200
 *                          S4 linehaul 1,100, fuel 200 -> fuel_overcharge 200 - 165 = 35
 *   INV-B1 UPS 2026-02-15  S3 linehaul 1,050  -> rate_overcharge 50 (customer Globex)
 */
async function seed(db: Parameters<typeof insertRates>[0]) {
  await insertRates(db, [
    { origin: 'Chicago', destination: 'Dallas', rate_basis: 'flat', rate: 1100, fuel_pct: 15 },
    { carrier: 'UPS', origin: 'Chicago', destination: 'Dallas', rate_basis: 'flat', rate: 1000 },
  ]);
  await insertShipments(db, [
    { shipment_id: 'S1', destination: 'Dallas', ship_date: '2026-01-05' },
    { shipment_id: 'S2', destination: 'Dallas', ship_date: '2026-02-05' },
    { shipment_id: 'S3', carrier: 'UPS', customer: 'Globex', destination: 'Dallas', ship_date: '2026-02-05' },
    { shipment_id: 'S4', destination: 'Dallas', ship_date: '2026-02-05' },
  ]);
  await insertInvoiceLines(db, [
    { invoice_number: 'INV-A1', invoice_date: '2026-01-10', shipment_id: 'S1', charge_type: 'linehaul', amount: 1250 },
    { invoice_number: 'INV-A2', invoice_date: '2026-02-10', shipment_id: 'S2', charge_type: 'linehaul', amount: 1300 },
    { invoice_number: 'INV-A2', invoice_date: '2026-02-10', shipment_id: 'S4', charge_type: 'linehaul', amount: 1100 },
    { invoice_number: 'INV-A2', invoice_date: '2026-02-10', shipment_id: 'S4', charge_type: 'fuel', amount: 200 },
    { invoice_number: 'INV-B1', carrier: 'UPS', invoice_date: '2026-02-15', shipment_id: 'S3', charge_type: 'linehaul', amount: 1050 },
  ]);
}

describeEachDatabase('audit storage', (ctx) => {
  beforeAll(() => seed(ctx.db));

  it('stores each finding once, however often the audit runs', async () => {
    const audit = auditOf(ctx.db);
    const first = await audit({});
    expect(first.findings).toHaveLength(4);
    expect(await storedCount(ctx.db)).toBe(4);
    const again = await audit({});
    expect(await storedCount(ctx.db)).toBe(4);
    expect(sorted(again.findings.map(rowOf))).toEqual(sorted(first.findings.map(rowOf)));
    expect(again.findings.map((f) => f.id).sort()).toEqual(first.findings.map((f) => f.id).sort());
  });

  it('updates the figures of a finding but keeps its status and reason', async () => {
    const audit = auditOf(ctx.db);
    const s1 = only(await audit({}), 'S1');
    await ctx.db.sql.query("UPDATE audit_findings SET status = 'disputed', status_reason = 'claim 77' WHERE id = ?", [s1.id!]);
    await ctx.db.sql.query("UPDATE invoice_lines SET amount = 1260 WHERE shipment_ref = 'S1'");
    const r = await audit({});
    // 1260 - 1100 = 160
    expect(only(r, 'S1')).toMatchObject({ id: s1.id, billed: 1260, overcharge: 160, status: 'disputed' });
    const [row] = await ctx.db.sql.query<{ status_reason: string }>('SELECT status_reason FROM audit_findings WHERE id = ?', [s1.id!]);
    expect(row.status_reason).toBe('claim 77');
    expect(await storedCount(ctx.db)).toBe(4);
  });

  it('drops open findings that no longer apply, keeps disputed ones', async () => {
    const audit = auditOf(ctx.db);
    // S2 billed at the contract now (open finding goes); S1 too (disputed finding stays, not reported).
    await ctx.db.sql.query("UPDATE invoice_lines SET amount = 1100 WHERE shipment_ref IN ('S1', 'S2')");
    const r = await audit({});
    expect(sorted(r.findings.map(rowOf))).toEqual(
      sorted([
        ['INV-A2', 'S4', 'fuel_overcharge', 165, 200, 35],
        ['INV-B1', 'S3', 'rate_overcharge', 1000, 1050, 50],
      ]),
    );
    const rows = await ctx.db.sql.query<{ shipment_ref: string; status: string }>(
      'SELECT shipment_ref, status FROM audit_findings ORDER BY shipment_ref',
    );
    expect(rows).toEqual([
      { shipment_ref: 'S1', status: 'disputed' },
      { shipment_ref: 'S3', status: 'open' },
      { shipment_ref: 'S4', status: 'open' },
    ]);
  });
});

describeEachDatabase('audit scope', (ctx) => {
  beforeAll(() => seed(ctx.db));
  const keys = (r: { findings: { invoice_number: string; shipment_id: string | null }[] }) =>
    r.findings.map((f) => `${f.invoice_number}/${f.shipment_id}`);

  it('audits everything without a scope', async () => {
    const r = await auditOf(ctx.db)({});
    expect(r.invoices_checked).toBe(3);
    expect(keys(r)).toEqual(['INV-A2/S2', 'INV-A1/S1', 'INV-B1/S3', 'INV-A2/S4']); // 200, 150, 50, 35
  });

  it('narrows by period (invoice dates, both inclusive)', async () => {
    const audit = auditOf(ctx.db);
    const feb = await audit({ period: { from: '2026-02-10' } });
    expect(feb.invoices_checked).toBe(2);
    expect(keys(feb)).toEqual(['INV-A2/S2', 'INV-B1/S3', 'INV-A2/S4']);
    const jan = await audit({ period: { to: '2026-01-10' } });
    expect(jan.invoices_checked).toBe(1);
    expect(keys(jan)).toEqual(['INV-A1/S1']);
    const none = await audit({ period: { from: '2026-01-11', to: '2026-02-09' } });
    expect(none).toEqual({ invoices_checked: 0, findings: [] });
  });

  it('narrows by carrier, case-insensitively, and leaves the other findings stored', async () => {
    const r = await auditOf(ctx.db)({ filters: { carrier: ' dhl ' } });
    expect(r.invoices_checked).toBe(2);
    expect(keys(r)).toEqual(['INV-A2/S2', 'INV-A1/S1', 'INV-A2/S4']);
    expect(await storedCount(ctx.db)).toBe(4);
    expect((await auditOf(ctx.db)({ filters: { carrier: 'Nobody' } })).invoices_checked).toBe(0);
  });

  it('narrows by invoice number, case-insensitively', async () => {
    const r = await auditOf(ctx.db)({ invoiceNumber: 'inv-a2' });
    expect(r.invoices_checked).toBe(1);
    expect(keys(r)).toEqual(['INV-A2/S2', 'INV-A2/S4']);
  });

  it('narrows by customer through the shipment', async () => {
    const r = await auditOf(ctx.db)({ filters: { customer: 'GLOBEX' } });
    expect(r.invoices_checked).toBe(1);
    expect(keys(r)).toEqual(['INV-B1/S3']);
  });

  it('returns only findings of at least minAmount, still checks and stores all', async () => {
    const r = await auditOf(ctx.db)({ minAmount: 150 });
    expect(r.invoices_checked).toBe(3);
    expect(r.findings.map((f) => f.overcharge)).toEqual([200, 150]);
    expect(await storedCount(ctx.db)).toBe(4);
  });

  it('rejects a period that ends before it starts', async () => {
    await expect(auditOf(ctx.db)({ period: { from: '2026-03-01', to: '2026-02-01' } })).rejects.toThrow(/after it ends/);
  });
});

describeEachDatabase('waybill audit --json', (ctx) => {
  beforeAll(() => seed(ctx.db));

  it('prints exactly the JSON of data.md', () => {
    const r = runCli(['audit', '--json'], { env: { DATABASE_URL: ctx.url, WAYBILL_NOW: NOW } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['invoices_checked', 'findings']);
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(['invoice_number', 'carrier', 'shipment_id', 'rule', 'expected', 'billed', 'overcharge']);
    }
    expect(json).toEqual({
      invoices_checked: 3,
      findings: [
        { invoice_number: 'INV-A2', carrier: 'DHL', shipment_id: 'S2', rule: 'rate_overcharge', expected: 1100, billed: 1300, overcharge: 200 },
        { invoice_number: 'INV-A1', carrier: 'DHL', shipment_id: 'S1', rule: 'rate_overcharge', expected: 1100, billed: 1250, overcharge: 150 },
        { invoice_number: 'INV-B1', carrier: 'UPS', shipment_id: 'S3', rule: 'rate_overcharge', expected: 1000, billed: 1050, overcharge: 50 },
        { invoice_number: 'INV-A2', carrier: 'DHL', shipment_id: 'S4', rule: 'fuel_overcharge', expected: 165, billed: 200, overcharge: 35 },
      ],
    });
  });

  it('takes --carrier, --invoice, --from/--to and --min-amount', () => {
    const env = { env: { DATABASE_URL: ctx.url, WAYBILL_NOW: NOW } };
    const run = (args: string[]) => JSON.parse(runCli(['audit', ...args, '--json'], env).stdout);
    expect(run(['--carrier', 'ups']).findings.map((f: { shipment_id: string }) => f.shipment_id)).toEqual(['S3']);
    expect(run(['--invoice', 'INV-A1'])).toMatchObject({ invoices_checked: 1, findings: [{ shipment_id: 'S1' }] });
    expect(run(['--from', '2026-02-01', '--to', '2026-02-12']).invoices_checked).toBe(1);
    expect(run(['--min-amount', '100']).findings).toHaveLength(2);
  });
});
