import { performance } from 'node:perf_hooks';
import { QueryTypes } from 'sequelize';
import type { Database } from '../db';
import type { DemoSeeder, DemoSeedOptions, DemoSeedSummary } from '../../domain/seed';
import type { ImportService } from '../../domain/import/types';
import { UserError } from '../../domain/errors';
import { isYmd } from '../../domain/dates';
import { generateDemoData, type DemoDataSet } from '../../domain/seed/generator';
import type { InvoiceLineRow } from '../../domain/seed/invoices';
import { invoiceLineHash, invoiceLineKey } from '../import/writers';
import type { TrackingEventRow } from '../../domain/seed/timeline';
import { WINDOW_DAYS } from '../../domain/seed/shipments';
import { date, float, instant, int, money as moneyCol, text, type SqlColumn } from '../columns';
import { BulkUpsert, selectIn } from '../import/bulk';
import { openRawConnection, type RawConnection, type SqlValue } from '../import/rawConnection';

type Cell = SqlValue;

/** Shipments whose timelines are written together (their ids are read back once per chunk). */
const SHIPMENTS_PER_CHUNK = 1_000;

/** Serialises two seeders racing on one PostgreSQL database (e.g. replicas starting together). */
const SEED_LOCK_KEY = 774_211_002;

const key = (s: string) => s.trim().toLowerCase();
const at = (ymd: string, time = '00:00:00') => `${ymd} ${time}.000 +00:00`;

/**
 * `waybill seed --demo`: generates the demo data set in memory (domain/seed, deterministic) and
 * writes it in one transaction, all of it or nothing, with the importer's bulk statements
 * (data/import/bulk.ts: multi-row INSERTs on SQLite, COPY on PostgreSQL) on the importer's connection.
 */
export function createDemoSeeder(db: Database, _deps: { importer: ImportService }): DemoSeeder {
  return {
    async isEmpty() {
      return (await countRows(db, 'shipments')) === 0;
    },
    async seed(opts) {
      return seedDemo(db, opts);
    },
  };
}

async function countRows(db: Database, table: 'shipments' | 'orders'): Promise<number> {
  const [row] = await db.sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
  return Number(row.n);
}

type CountRows = (table: 'shipments' | 'orders') => Promise<number>;

async function refuseUnlessEmpty(count: CountRows): Promise<void> {
  for (const table of ['shipments', 'orders'] as const) {
    const n = await count(table);
    if (n > 0) {
      const what = table === 'shipments' ? (n === 1 ? 'shipment' : 'shipments') : n === 1 ? 'order' : 'orders';
      throw new UserError(`the database already holds ${n.toLocaleString('en-US')} ${what}; seed only an empty database (or use a fresh DATABASE_URL)`);
    }
  }
}

async function seedDemo(db: Database, opts: DemoSeedOptions): Promise<DemoSeedSummary> {
  const started = performance.now();
  if (!isYmd(opts.today)) throw new UserError(`"${opts.today}" is not a date in YYYY-MM-DD form`, 2);
  if (!Number.isInteger(opts.shipments) || opts.shipments < 1) throw new UserError('--shipments must be a positive whole number', 2);
  await refuseUnlessEmpty((t) => countRows(db, t));
  const data = generateDemoData(opts);
  const conn = await openRawConnection(db);
  let counts: { events: number; invoiceLines: number };
  try {
    counts = await conn.transaction(async () => {
      // Checked again under the write lock: two seeders racing (replicas starting together) seed once.
      if (conn.dialect === 'postgres') await conn.run(`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      await refuseUnlessEmpty(async (t) => Number((await conn.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${t}`))[0].n));
      return writeAll(conn, data);
    });
  } finally {
    await conn.close();
  }
  return {
    customers: data.customers.length,
    carriers: data.carriers.length,
    rates: data.contracts.length,
    orders: data.orders.length,
    shipments: data.shipments.length,
    events: counts.events,
    invoices: data.invoices.length,
    invoiceLines: counts.invoiceLines,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

/** A plain bulk INSERT into `table` (the rows give every column, stamps included). */
const insertInto = (table: string, columns: readonly SqlColumn[], conflict?: string) => new BulkUpsert(table, columns, { conflict });

async function writeAll(conn: RawConnection, data: DemoDataSet): Promise<{ events: number; invoiceLines: number }> {
  const cal = data.calendar;
  const since = at(cal.ymd(-WINDOW_DAYS));

  // Master data; names already on file are kept and reused.
  const idsOf = async (table: 'customers' | 'carriers', names: string[]) => {
    await insertInto(table, [text('name'), text('name_key'), instant('created_at'), instant('updated_at')], 'ON CONFLICT (name_key) DO NOTHING')
      .write(conn, names.map((n) => [n, key(n), since, since]), '');
    const rows = await conn.all<{ id: number; name_key: string }>(`SELECT id, name_key FROM ${table}`);
    return new Map(rows.map((r) => [r.name_key, Number(r.id)]));
  };
  const customerIds = await idsOf('customers', data.customers);
  const carrierIds = await idsOf('carriers', data.carriers);
  const customerId = (name: string) => customerIds.get(key(name))!;
  const carrierId = (name: string) => carrierIds.get(key(name))!;

  await insertInto(
    'rates',
    [
      text('rate_key'), int('carrier_id'), text('origin'), text('destination'), text('origin_key'), text('destination_key'), text('rate_basis'),
      moneyCol('rate'), moneyCol('min_charge'), float('fuel_pct'), text('charge_code'), date('valid_from'), date('valid_to'), text('currency'),
      instant('created_at'), instant('updated_at'),
    ],
    'ON CONFLICT (rate_key) DO NOTHING',
  ).writeAll(
    conn,
    lazy(data.contracts, (r) => {
      const cid = carrierId(r.carrier);
      return [
        [cid, key(r.origin), key(r.destination), r.rate_basis, r.charge_code ?? '', r.valid_from].join('|'),
        cid, r.origin, r.destination, key(r.origin), key(r.destination), r.rate_basis, r.rate.toFixed(4), money(r.min_charge), r.fuel_pct,
        r.charge_code, r.valid_from, r.valid_to, 'USD', at(r.valid_from), at(r.valid_from),
      ];
    }),
  );

  await insertInto('orders', [
    text('id'), int('customer_id'), text('po_number'), text('status'), date('order_date'), text('origin'), text('destination'), date('pickup_date'),
    date('delivery_date'), text('service_level'), int('carrier_id'), float('weight_kg'), text('created_by'), text('cancel_reason'),
    instant('created_at'), instant('updated_at'),
  ]).writeAll(
    conn,
    lazy(data.orders, (o) => [
      o.id, customerId(o.customer), o.po_number, o.status, o.order_date, o.origin, o.destination, o.pickup_date, o.delivery_date,
      o.service_level, carrierId(o.carrier), o.weight_kg, o.created_by, o.cancel_reason, at(o.order_date, '08:00:00'), at(o.order_date, '08:00:00'),
    ]),
  );
  await insertInto('order_lines', [text('order_id'), int('line_no'), float('quantity'), text('unit'), text('description'), text('sku')]).writeAll(
    conn,
    lazy(data.orderLines, (l) => [l.order_id, l.line_no, l.quantity, l.unit, l.description, l.sku]),
  );

  // Shipments and their timelines, a chunk at a time (events are most of the rows).
  let events = 0;
  const shipments = insertInto('shipments', [
    text('shipment_id'), text('order_id'), text('po_number'), date('order_date'), date('kpi_order_date'), int('customer_id'), int('carrier_id'),
    text('mode'), text('origin'), text('destination'), text('origin_key'), text('destination_key'), date('ship_date'), date('promised_date'),
    date('delivered_date'), text('status'), float('quantity_ordered'), float('quantity_delivered'), float('weight_kg'), moneyCol('freight_cost'),
    text('currency'), instant('created_at'), instant('updated_at'),
  ]);
  const trackingEvents = insertInto('tracking_events', [int('shipment_id'), instant('event_time'), text('status'), text('location'), text('description'), instant('created_at')]);
  for (let start = 0; start < data.shipments.length; start += SHIPMENTS_PER_CHUNK) {
    const end = Math.min(data.shipments.length, start + SHIPMENTS_PER_CHUNK);
    const timelines: TrackingEventRow[][] = [];
    const rows: Cell[][] = [];
    for (let i = start; i < end; i++) {
      const s = data.shipments[i];
      const timeline = data.events(i);
      timelines.push(timeline);
      rows.push([
        s.shipment_id, s.order_id, s.po_number, s.order_date, s.order_date ?? s.ship_date, customerId(s.customer), carrierId(s.carrier), s.mode,
        s.origin, s.destination, key(s.origin), key(s.destination), s.ship_date, s.promised_date, s.delivered_date, s.status,
        s.quantity_ordered, s.quantity_delivered, s.weight_kg, money(s.freight_cost), 'USD', timeline[0].event_time, timeline[timeline.length - 1].event_time,
      ]);
    }
    await shipments.write(conn, rows, '');
    const refs = data.shipments.slice(start, end).map((s) => s.shipment_id);
    const found = await selectIn<{ id: number; shipment_id: string }>(conn, 'SELECT id, shipment_id FROM shipments WHERE shipment_id', refs, 'text');
    const idOf = new Map(found.map((r) => [r.shipment_id, Number(r.id)]));
    const eventRows: Cell[][] = [];
    timelines.forEach((timeline, k) => {
      const id = idOf.get(refs[k])!;
      for (const e of timeline) eventRows.push([id, e.event_time, e.status, e.location, e.description, e.event_time]);
    });
    events += eventRows.length;
    await trackingEvents.writeAll(conn, eventRows);
  }

  // Invoices, then their lines (which carry the invoice's id, carrier and date).
  await insertInto('invoices', [int('carrier_id'), text('invoice_number'), date('invoice_date'), text('currency'), instant('created_at'), instant('updated_at')]).writeAll(
    conn,
    lazy(data.invoices, (inv) => [carrierId(inv.carrier), inv.invoice_number, inv.invoice_date, 'USD', at(inv.invoice_date, '09:00:00'), at(inv.invoice_date, '09:00:00')]),
  );
  const docs = await conn.all<{ id: number; carrier_id: number; invoice_number: string; invoice_date: string }>(
    'SELECT id, carrier_id, invoice_number, CAST(invoice_date AS TEXT) AS invoice_date FROM invoices',
  );
  const docId = new Map(docs.map((d) => [`${Number(d.carrier_id)}|${d.invoice_number}|${String(d.invoice_date).slice(0, 10)}`, Number(d.id)]));
  function* lineRows(): Iterable<Cell[]> {
    for (const inv of data.invoices) {
      const cid = carrierId(inv.carrier);
      const id = docId.get(`${cid}|${inv.invoice_number}|${inv.invoice_date}`)!;
      const seen = new Map<string, number>();
      const stamp = at(inv.invoice_date, '09:00:00');
      for (const l of inv.lines) {
        const lineKey = lineKeyOf(inv.carrier, inv.invoice_number, inv.invoice_date, l, seen);
        yield [id, lineKey, cid, inv.invoice_date, l.shipment_ref, l.charge_type, l.charge_code, l.billed_weight_kg, money(l.amount), 'USD', stamp, stamp];
      }
    }
  }
  const invoiceLines = await insertInto('invoice_lines', [
    int('invoice_id'), text('line_key'), int('carrier_id'), date('invoice_date'), text('shipment_ref'), text('charge_type'), text('charge_code'),
    float('billed_weight_kg'), moneyCol('amount'), text('currency'), instant('created_at'), instant('updated_at'),
  ]).writeAll(conn, lineRows());
  return { events, invoiceLines };
}

/** Rows produced as the INSERTs take them, not all at once. */
function* lazy<T>(items: readonly T[], row: (t: T) => Cell[]): Iterable<Cell[]> {
  for (const t of items) yield row(t);
}

/**
 * An invoice line's identity, the way the invoices importer computes it (sha1 of the line's content,
 * base64url, ':' + its ordinal among identical lines), so that importing the demo invoices exported
 * as CSV finds the same lines instead of adding them again.
 */
function lineKeyOf(carrier: string, invoiceNumber: string, invoiceDate: string, l: InvoiceLineRow, seen: Map<string, number>): string {
  // The importer's own key, so re-importing the demo invoices as CSV updates these lines.
  const row = {
    invoice_number: invoiceNumber, carrier, invoice_date: invoiceDate, shipment_ref: l.shipment_ref,
    charge_type: l.charge_type, charge_code: l.charge_code, billed_weight_kg: l.billed_weight_kg, amount: l.amount, currency: 'USD',
  };
  const hash = invoiceLineHash(row);
  const ordinal = (seen.get(hash) ?? 0) + 1;
  seen.set(hash, ordinal);
  return invoiceLineKey(row, ordinal, hash);
}

/** Money as an exact decimal string (DECIMAL(14,2) on both dialects). */
function money(x: number | null): string | null {
  return x === null ? null : x.toFixed(2);
}
