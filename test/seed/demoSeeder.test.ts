import { QueryTypes } from 'sequelize';
import type { Database } from '../../data/db';
import { createDemoSeeder } from '../../data/seed/demoSeeder';
import { AUDIT_RULES } from '../../domain/audit/types';
import { addDays } from '../../domain/dates';
import { UserError } from '../../domain/errors';
import type { ImportService } from '../../domain/import/types';
import type { DemoSeedSummary } from '../../domain/seed';
import { generateDemoData } from '../../domain/seed/generator';
import { describeEachDatabase, freshDatabase } from '../support/databases';
import { referenceAudit, type RefInvoice, type RefRate, type RefShipment } from './referenceAudit';

/**
 * `waybill seed --demo` against a real database (SQLite, and PostgreSQL with TEST_DATABASE_URL): the
 * stored rows are checked with SQL, the way someone recomputing a figure from them would.
 */
const TODAY = '2026-03-18';
const FIRST_DAY = addDays(TODAY, -89);
const OPTS = { shipments: 2000, seed: 42, today: TODAY };
const importer: ImportService = { importFile: () => Promise.reject(new Error('the seeder writes directly')) };

async function rows<T extends object>(db: Database, sql: string): Promise<T[]> {
  return db.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
}

async function count(db: Database, sql: string): Promise<number> {
  const [r] = await rows<{ n: string | number }>(db, sql);
  return Number(r.n);
}

/** A DATE/TIMESTAMP value as returned by either driver, as YYYY-MM-DD (UTC). */
function day(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** Every business row, in insertion order: what "byte-identical" is checked on. */
async function dump(db: Database): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['customers', 'carriers', 'rates', 'orders', 'order_lines', 'shipments', 'tracking_events', 'invoices', 'invoice_lines']) {
    out[t] = await rows(db, `SELECT * FROM ${t} ORDER BY id`);
  }
  return JSON.stringify(out);
}

/** The lane contract valid on the shipment's date (ship date, else order date), as a correlated subquery. */
const CONTRACT = (col: string) => `(SELECT r.${col} FROM rates r
  WHERE r.carrier_id = s.carrier_id AND r.origin_key = s.origin_key AND r.destination_key = s.destination_key
    AND r.rate_basis IN ('flat', 'per_kg')
    AND r.valid_from <= COALESCE(s.ship_date, s.order_date) AND (r.valid_to IS NULL OR r.valid_to >= COALESCE(s.ship_date, s.order_date))
  ORDER BY r.valid_from DESC LIMIT 1)`;
const EXPECTED_LINEHAUL = `(CASE WHEN ${CONTRACT('rate_basis')} = 'flat' THEN ${CONTRACT('rate')}
  WHEN ${CONTRACT('rate')} * s.weight_kg > ${CONTRACT('min_charge')} THEN ${CONTRACT('rate')} * s.weight_kg ELSE ${CONTRACT('min_charge')} END)`;
/** More than the tolerance of data.md over `expected`: max(1% of it, 1.00). */
const OVER = (billed: string, expected: string) =>
  `(${billed} - ${expected} > CASE WHEN ${expected} * 0.01 > 1 THEN ${expected} * 0.01 ELSE 1 END + 0.005)`;

describeEachDatabase('waybill seed --demo', (ctx) => {
  let summary: DemoSeedSummary;

  beforeAll(async () => {
    const seeder = createDemoSeeder(ctx.db, { importer });
    expect(await seeder.isEmpty()).toBe(true);
    summary = await seeder.seed(OPTS);
  }, 120_000);

  it('reports what it wrote', async () => {
    const db = ctx.db;
    expect(summary).toEqual({
      customers: await count(db, 'SELECT COUNT(*) AS n FROM customers'),
      carriers: await count(db, 'SELECT COUNT(*) AS n FROM carriers'),
      rates: await count(db, 'SELECT COUNT(*) AS n FROM rates'),
      orders: await count(db, 'SELECT COUNT(*) AS n FROM orders'),
      shipments: 2000,
      events: await count(db, 'SELECT COUNT(*) AS n FROM tracking_events'),
      invoices: await count(db, 'SELECT COUNT(*) AS n FROM invoices'),
      invoiceLines: await count(db, 'SELECT COUNT(*) AS n FROM invoice_lines'),
      seconds: expect.any(Number),
    });
    expect(summary.customers).toBeGreaterThanOrEqual(12);
    expect(summary.carriers).toBe(8);
    expect(summary.seconds).toBeGreaterThan(0);
    // 2,000 shipments is what `npm start` seeds: it takes a couple of seconds, not minutes.
    expect(summary.seconds).toBeLessThan(30);
  });

  it('stores exactly N shipments with their KPI keys', async () => {
    const db = ctx.db;
    expect(await count(db, 'SELECT COUNT(*) AS n FROM shipments')).toBe(2000);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM shipments WHERE kpi_order_date IS NULL OR kpi_order_date <> COALESCE(order_date, ship_date)')).toBe(0);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM shipments WHERE origin_key <> LOWER(TRIM(origin)) OR destination_key <> LOWER(TRIM(destination))')).toBe(0);
    expect(await count(db, "SELECT COUNT(*) AS n FROM shipments WHERE status NOT IN ('pending', 'in_transit', 'delivered', 'exception', 'cancelled')")).toBe(0);
    expect(await count(db, "SELECT COUNT(*) AS n FROM shipments WHERE (status = 'delivered') <> (delivered_date IS NOT NULL)")).toBe(0);
    expect(await count(db, "SELECT COUNT(*) AS n FROM shipments WHERE mode NOT IN ('truckload', 'ltl', 'parcel', 'ocean', 'air', 'rail')")).toBe(0);
  });

  it('gives every shipment at least one event, and its status is the latest one', async () => {
    const db = ctx.db;
    expect(await count(db, 'SELECT COUNT(*) AS n FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM tracking_events e WHERE e.shipment_id = s.id)')).toBe(0);
    expect(
      await count(db, `SELECT COUNT(*) AS n FROM shipments s
        WHERE s.status <> (SELECT e.status FROM tracking_events e WHERE e.shipment_id = s.id ORDER BY e.event_time DESC, e.id DESC LIMIT 1)`),
    ).toBe(0);
  });

  it('keeps every date within the 90 days before today', async () => {
    const [r] = await rows<Record<string, unknown>>(ctx.db, `SELECT MIN(order_date) AS o1, MAX(order_date) AS o2, MIN(ship_date) AS s1, MAX(ship_date) AS s2,
      MAX(delivered_date) AS d2 FROM shipments`);
    expect(day(r.o1) >= FIRST_DAY && day(r.s1) >= FIRST_DAY).toBe(true);
    expect(day(r.o2) <= TODAY && day(r.s2) <= TODAY && day(r.d2) <= TODAY).toBe(true);
    const [e] = await rows<Record<string, unknown>>(ctx.db, 'SELECT MIN(event_time) AS e1, MAX(event_time) AS e2 FROM tracking_events');
    expect(day(e.e1) >= FIRST_DAY && day(e.e2) <= TODAY).toBe(true);
    const [i] = await rows<Record<string, unknown>>(ctx.db, 'SELECT MIN(invoice_date) AS i1, MAX(invoice_date) AS i2 FROM invoices');
    expect(day(i.i1) >= FIRST_DAY && day(i.i2) <= TODAY).toBe(true);
    expect(await count(ctx.db, 'SELECT COUNT(*) AS n FROM shipments WHERE ship_date < order_date OR delivered_date < ship_date')).toBe(0);
  });

  it('keeps references whole, except the invoice lines deliberately billed for unknown shipments', async () => {
    const db = ctx.db;
    expect(await count(db, 'SELECT COUNT(*) AS n FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = s.order_id)')).toBe(0);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)')).toBe(0);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE l.carrier_id <> i.carrier_id OR l.invoice_date <> i.invoice_date')).toBe(0);
    const unknown = await rows<{ shipment_ref: string | null }>(db,
      'SELECT DISTINCT l.shipment_ref FROM invoice_lines l LEFT JOIN shipments s ON s.shipment_id = l.shipment_ref WHERE s.id IS NULL');
    const planted = generateDemoData(OPTS).planted.filter((p) => p.rule === 'unmatched_shipment').map((p) => p.shipment_ref);
    expect(unknown.map((r) => r.shipment_ref).sort()).toEqual([...new Set(planted)].sort());
  });

  it('plants a discrepancy of each audit rule (checked on the stored rows)', async () => {
    const db = ctx.db;
    // Both kinds of duplicate: a number billed again on a second document, a shipment's linehaul on a second invoice.
    const rebilledNumbers = await count(db, 'SELECT COUNT(*) AS n FROM (SELECT carrier_id, invoice_number FROM invoices GROUP BY carrier_id, invoice_number HAVING COUNT(*) > 1) x');
    const rebilledLinehaul = await count(db, `SELECT COUNT(*) AS n FROM (SELECT l.shipment_ref FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
      WHERE l.charge_type = 'linehaul' AND l.shipment_ref IS NOT NULL GROUP BY l.shipment_ref HAVING COUNT(DISTINCT i.invoice_number) > 1) x`);
    expect(rebilledNumbers).toBeGreaterThan(0);
    expect(rebilledLinehaul).toBeGreaterThan(0);
    const found: Record<string, number> = {
      duplicate_invoice: rebilledNumbers + rebilledLinehaul,
      unmatched_shipment: await count(db, 'SELECT COUNT(*) AS n FROM invoice_lines l LEFT JOIN shipments s ON s.shipment_id = l.shipment_ref WHERE s.id IS NULL'),
      cancelled_shipment: await count(db, "SELECT COUNT(*) AS n FROM invoice_lines l JOIN shipments s ON s.shipment_id = l.shipment_ref WHERE s.status = 'cancelled'"),
      rate_overcharge: await count(db, `SELECT COUNT(*) AS n FROM invoice_lines l JOIN shipments s ON s.shipment_id = l.shipment_ref
        WHERE l.charge_type = 'linehaul' AND s.status <> 'cancelled' AND ${CONTRACT('id')} IS NOT NULL AND ${OVER('l.amount', EXPECTED_LINEHAUL)}`),
      fuel_overcharge: await count(db, `SELECT COUNT(*) AS n FROM invoice_lines l JOIN shipments s ON s.shipment_id = l.shipment_ref
        WHERE l.charge_type = 'fuel' AND s.status <> 'cancelled' AND ${CONTRACT('id')} IS NOT NULL
          AND ${OVER('l.amount', `(${EXPECTED_LINEHAUL} * ${CONTRACT('fuel_pct')} / 100.0)`)}`),
      accessorial_not_allowed: await count(db, `SELECT COUNT(*) AS n FROM invoice_lines l WHERE l.charge_type = 'accessorial'
        AND NOT EXISTS (SELECT 1 FROM rates r WHERE r.carrier_id = l.carrier_id AND r.rate_basis = 'accessorial' AND r.charge_code = l.charge_code)`),
      accessorial_over_max: await count(db, `SELECT COUNT(*) AS n FROM invoice_lines l JOIN rates r
          ON r.carrier_id = l.carrier_id AND r.rate_basis = 'accessorial' AND r.charge_code = l.charge_code
        WHERE l.charge_type = 'accessorial' AND ${OVER('l.amount', 'r.rate')}`),
      weight_overbilled: await count(db, `SELECT COUNT(*) AS n FROM invoice_lines l JOIN shipments s ON s.shipment_id = l.shipment_ref
        WHERE l.billed_weight_kg IS NOT NULL AND ${OVER('l.billed_weight_kg', 's.weight_kg')}`),
      no_contract_rate: await count(db, `SELECT COUNT(*) AS n FROM invoice_lines l JOIN shipments s ON s.shipment_id = l.shipment_ref
        WHERE l.charge_type = 'linehaul' AND s.status <> 'cancelled' AND ${CONTRACT('id')} IS NULL`),
    };
    for (const rule of AUDIT_RULES) expect({ rule, planted: found[rule] > 0 }).toEqual({ rule, planted: true });
  });

  it('bills about 5% of invoices wrong, and every other invoice exactly per contract', async () => {
    const db = ctx.db;
    const shipments = (await rows<RefShipment & { weight_kg: unknown }>(db, `SELECT s.shipment_id, c.name AS carrier, s.origin, s.destination,
        CAST(s.order_date AS TEXT) AS order_date, CAST(s.ship_date AS TEXT) AS ship_date, s.status, s.weight_kg
      FROM shipments s JOIN carriers c ON c.id = s.carrier_id`)).map((s) => ({ ...s, weight_kg: s.weight_kg === null ? null : Number(s.weight_kg) }));
    const rates = (await rows<Record<string, unknown>>(db, `SELECT c.name AS carrier, r.origin, r.destination, r.rate_basis, r.rate, r.min_charge, r.fuel_pct,
        r.charge_code, CAST(r.valid_from AS TEXT) AS valid_from, CAST(r.valid_to AS TEXT) AS valid_to FROM rates r JOIN carriers c ON c.id = r.carrier_id`))
      .map((r): RefRate => ({
        carrier: String(r.carrier), origin: String(r.origin), destination: String(r.destination), rate_basis: String(r.rate_basis), rate: Number(r.rate),
        min_charge: r.min_charge === null ? null : Number(r.min_charge), fuel_pct: r.fuel_pct === null ? null : Number(r.fuel_pct),
        charge_code: (r.charge_code as string | null) ?? null, valid_from: (r.valid_from as string | null) ?? null, valid_to: (r.valid_to as string | null) ?? null,
      }));
    const lines = await rows<Record<string, unknown>>(db, `SELECT i.id, i.invoice_number, c.name AS carrier, CAST(i.invoice_date AS TEXT) AS invoice_date,
        l.shipment_ref, l.charge_type, l.charge_code, l.billed_weight_kg, l.amount
      FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN carriers c ON c.id = i.carrier_id ORDER BY l.id`);
    const docs = new Map<unknown, RefInvoice>();
    for (const l of lines) {
      if (!docs.has(l.id)) docs.set(l.id, { invoice_number: String(l.invoice_number), carrier: String(l.carrier), invoice_date: String(l.invoice_date), lines: [] });
      docs.get(l.id)!.lines.push({
        shipment_ref: (l.shipment_ref as string | null) ?? null, charge_type: String(l.charge_type), charge_code: (l.charge_code as string | null) ?? null,
        billed_weight_kg: l.billed_weight_kg === null ? null : Number(l.billed_weight_kg), amount: Number(l.amount),
      });
    }
    const findings = referenceAudit(shipments, rates, [...docs.values()]);
    const wrong = new Set(findings.map((f) => `${f.carrier}|${f.invoice_number}`));
    const planted = new Set(generateDemoData(OPTS).planted.map((p) => `${p.carrier}|${p.invoice_number}`));
    expect([...wrong].sort()).toEqual([...planted].sort());
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(AUDIT_RULES));
    const invoices = await count(db, 'SELECT COUNT(*) AS n FROM (SELECT DISTINCT carrier_id, invoice_number FROM invoices) x');
    expect(wrong.size / invoices).toBeGreaterThanOrEqual(0.03);
    expect(wrong.size / invoices).toBeLessThanOrEqual(0.08);
  });

  it('has the well-known references the docs cite', async () => {
    const db = ctx.db;
    const [order] = await rows<Record<string, unknown>>(db, `SELECT o.id, o.po_number, o.status, c.name AS customer, o.origin, o.destination
      FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 'ORD-10042'`);
    expect(order).toMatchObject({ po_number: 'PO-55121', customer: 'Acme Corp', origin: 'Chicago', destination: 'Dallas', status: 'shipped' });
    const [shp] = await rows<Record<string, unknown>>(db, `SELECT s.order_id, s.status, c.name AS carrier FROM shipments s JOIN carriers c ON c.id = s.carrier_id
      WHERE s.shipment_id = 'SHP-000123'`);
    expect(shp).toMatchObject({ order_id: 'ORD-10042', status: 'in_transit', carrier: 'UPS Freight' });
    for (const [id, status] of [['MSCU1234567', 'in_transit'], ['1Z999AA10123456784', 'delivered']]) {
      expect(await rows(db, `SELECT status FROM shipments WHERE shipment_id = '${id}'`)).toEqual([{ status }]);
    }
    expect(await rows(db, "SELECT status FROM orders WHERE id IN ('ORD-10050', 'ORD-10077') ORDER BY id")).toEqual([{ status: 'delivered' }, { status: 'open' }]);
    expect(await count(db, "SELECT COUNT(*) AS n FROM invoices WHERE invoice_number IN ('INV-2291', 'INV-3310', 'INV-2026-0042')")).toBe(3);
    expect(await count(db, "SELECT COUNT(*) AS n FROM invoices WHERE invoice_number LIKE 'INV-2026-0%'")).toBeGreaterThan(100);
  });

  it('refuses to seed a database that already holds shipments', async () => {
    const seeder = createDemoSeeder(ctx.db, { importer });
    expect(await seeder.isEmpty()).toBe(false);
    const attempt = seeder.seed(OPTS);
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow('the database already holds 2,000 shipments; seed only an empty database (or use a fresh DATABASE_URL)');
    expect(await count(ctx.db, 'SELECT COUNT(*) AS n FROM shipments')).toBe(2000);
  });

  it('writes the same rows for the same seed, and different ones for another seed', async () => {
    const first = await dump(ctx.db);
    const same = await freshDatabase(ctx.target);
    const other = await freshDatabase(ctx.target);
    try {
      await createDemoSeeder(same.db, { importer }).seed(OPTS);
      await createDemoSeeder(other.db, { importer }).seed({ ...OPTS, seed: 43 });
      const again = await dump(same.db);
      expect(again.length).toBe(first.length);
      expect(again === first).toBe(true);
      expect((await dump(other.db)) === first).toBe(false);
    } finally {
      await same.cleanup();
      await other.cleanup();
    }
  }, 120_000);
});
