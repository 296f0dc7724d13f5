import { date, float, int, money, text, type SqlColumn } from '../columns';
import { hash } from 'node:crypto';
import type { ImportKind, RejectedRow } from '../../domain/import/types';
import {
  deriveStatus, invoiceLineContent, mergeShipmentRows, orderStatusFrom, rateKey,
  type EventRow, type InvoiceLineRow, type RateRow, type RowsByKind, type ShipmentRow,
} from '../../domain/import/rows';
import type { ShipmentStatus } from '../../domain/import/values';
import { nameKey } from '../../domain/names';
import { allNew, BulkUpsert, forKeyChunks, selectIn, updateIn, type NewRows } from './bulk';
import { NameIds } from './names';
import type { RawConnection, SqlValue } from './rawConnection';

/**
 * The batched writers, one per kind. The import loop `add`s validated rows in file order; `take`
 * detaches the open batch as a function that writes it with a few set-based statements (the caller
 * runs it in one transaction, so a batch is stored entirely or not at all). Inserted vs updated is
 * counted per batch: keys already present are counted before the upsert; a key seen again inside
 * the batch is one stored row (the later row wins) and counts as an update.
 */
export interface BatchResult {
  inserted: number;
  updated: number;
  /** Rows only the database could reject (an event for an unknown shipment). */
  rejections: RejectedRow[];
}

/**
 * What the batches of one import may do beyond upserting: the tables they may COPY straight into
 * (a PostgreSQL bulk load into a table that was empty; a batch that meets a key already stored
 * upserts instead and takes the table out).
 */
export interface LoadState {
  readonly copyInto: Set<string>;
}

export type PreparedBatch = (conn: RawConnection, now: string, load?: LoadState) => Promise<BatchResult>;

export interface KindWriter<R> {
  add(row: R, line: number): void;
  /** Rows in the open batch. */
  readonly pending: number;
  take(): PreparedBatch;
  /** True when `row` belongs with the last row added (the next line of the same invoice): the batch is not cut between them. */
  continues?(row: R): boolean;
}


/**
 * A bounded map that keeps recently used entries: two generations of at most max/2 entries each;
 * when the young one is full it becomes the old one and the previous old one is dropped. O(1) per
 * operation (a Map used as an LRU list degrades: V8 leaves holes at its front that every eviction scans).
 */
export class Lru<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;
  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
  }
  get(k: K): V | undefined {
    const v = this.young.get(k);
    if (v !== undefined) return v;
    const o = this.old.get(k);
    if (o !== undefined) this.set(k, o);
    return o;
  }
  set(k: K, v: V): void {
    if (this.young.size >= this.half && !this.young.has(k)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(k, v);
  }
  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** A function's results for recently seen arguments (place names repeat: their keys are computed once). */
class KeyCache {
  private readonly seen = new Lru<string, string>(20_000);
  constructor(private readonly fn: (s: string) => string) {}
  key(s: string): string {
    let k = this.seen.get(s);
    if (k === undefined) {
      k = this.fn(s);
      this.seen.set(s, k);
    }
    return k;
  }
}

/**
 * The rows of the batch being read, by upsert key: a key repeated inside one batch is written once
 * (PostgreSQL refuses ON CONFLICT touching a row twice), merged or last wins; `count` is every row added.
 */
class KeyedBatch<T> {
  private rows = new Map<string, T>();
  private added = 0;
  get pending(): number {
    return this.added;
  }
  add(key: string, row: T, merge?: (prev: T, next: T) => T): void {
    const prev = merge ? this.rows.get(key) : undefined;
    this.rows.set(key, prev ? merge!(prev, row) : row);
    this.added++;
  }
  take(): { rows: Map<string, T>; count: number } {
    const taken = { rows: this.rows, count: this.added };
    this.rows = new Map();
    this.added = 0;
    return taken;
  }
}

// ---------------------------------------------------------------- shipments

const SHIPMENT_COLUMNS: SqlColumn[] = [
  text('shipment_id'), text('order_id'), text('po_number'), date('order_date'), date('kpi_order_date'), int('customer_id'),
  int('carrier_id'), text('mode'), text('origin'), text('destination'), text('origin_key'), text('destination_key'),
  date('ship_date'), date('promised_date'), date('delivered_date'), text('status'), float('quantity_ordered'),
  float('quantity_delivered'), float('weight_kg'), money('freight_cost'), text('currency'),
];

/**
 * A blank optional cell keeps the stored value (see mergeShipmentRows); required cells and the
 * currency overwrite it.
 */
const SHIPMENT_SET = [
  'order_id = COALESCE(excluded.order_id, shipments.order_id)',
  'po_number = COALESCE(excluded.po_number, shipments.po_number)',
  'order_date = COALESCE(excluded.order_date, shipments.order_date)',
  'kpi_order_date = COALESCE(excluded.order_date, shipments.order_date, excluded.ship_date, shipments.ship_date)',
  'customer_id = excluded.customer_id',
  'carrier_id = excluded.carrier_id',
  'mode = COALESCE(excluded.mode, shipments.mode)',
  'origin = excluded.origin',
  'destination = excluded.destination',
  'origin_key = excluded.origin_key',
  'destination_key = excluded.destination_key',
  'ship_date = COALESCE(excluded.ship_date, shipments.ship_date)',
  'promised_date = COALESCE(excluded.promised_date, shipments.promised_date)',
  'delivered_date = COALESCE(excluded.delivered_date, shipments.delivered_date)',
  'quantity_ordered = COALESCE(excluded.quantity_ordered, shipments.quantity_ordered)',
  'quantity_delivered = COALESCE(excluded.quantity_delivered, shipments.quantity_delivered)',
  'weight_kg = COALESCE(excluded.weight_kg, shipments.weight_kg)',
  'freight_cost = COALESCE(excluded.freight_cost, shipments.freight_cost)',
  'currency = excluded.currency',
  'updated_at = excluded.updated_at',
];

/** Rows that give a status set it; rows that leave it blank apply statusAfterBlank (domain/import/rows.ts). */
const STAMPS = ['created_at', 'updated_at'];
const upsertShipmentsExplicit = new BulkUpsert('shipments', SHIPMENT_COLUMNS, {
  stamps: STAMPS,
  rowid: 'id',
  conflict: `ON CONFLICT (shipment_id) DO UPDATE SET ${[...SHIPMENT_SET, 'status = excluded.status'].join(', ')}`,
});
const upsertShipmentsDerived = new BulkUpsert('shipments', SHIPMENT_COLUMNS, {
  stamps: STAMPS,
  rowid: 'id',
  conflict: `ON CONFLICT (shipment_id) DO UPDATE SET ${[
    ...SHIPMENT_SET,
    "status = CASE WHEN shipments.status IN ('pending', 'in_transit') AND COALESCE(excluded.delivered_date, shipments.delivered_date) IS NOT NULL " +
      "THEN 'delivered' WHEN shipments.status = 'pending' AND COALESCE(excluded.ship_date, shipments.ship_date) IS NOT NULL THEN 'in_transit' " +
      'ELSE shipments.status END',
  ].join(', ')}`,
});

const upsertOrders = new BulkUpsert('orders',
  [text('id'), int('customer_id'), text('po_number'), text('status'), date('order_date'), text('origin'), text('destination')], {
    stamps: STAMPS,
    rowid: 'rowid',
    // An order that exists (entered in chat, or imported before) keeps what it has; blanks are filled.
    conflict:
      'ON CONFLICT (id) DO UPDATE SET po_number = COALESCE(orders.po_number, excluded.po_number), ' +
      'order_date = COALESCE(orders.order_date, excluded.order_date), origin = COALESCE(orders.origin, excluded.origin), ' +
      'destination = COALESCE(orders.destination, excluded.destination), updated_at = excluded.updated_at',
  });

/** orderStatusFrom (domain/import/rows.ts) over all of an order's shipments, in SQL. */
const ORDER_STATUS_OF_GROUP =
  "CASE WHEN sum(CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END) = count(*) THEN 'cancelled' " +
  "WHEN sum(CASE WHEN s.status IN ('delivered', 'cancelled') THEN 1 ELSE 0 END) = count(*) THEN 'delivered' " +
  "WHEN sum(CASE WHEN s.status IN ('pending', 'cancelled') THEN 1 ELSE 0 END) = count(*) THEN 'open' ELSE 'shipped' END";

/**
 * Recomputes the status of the orders from all their shipments, writing only the orders whose
 * status changes. A cancellation made by a person (with a reason) stands. The orders are also
 * matched by their own key list so the planner reaches them through their primary key (PostgreSQL,
 * without statistics on a table being filled, would otherwise scan all orders for every batch).
 */
async function refreshOrders(conn: RawConnection, orderIds: string[], now: string): Promise<void> {
  if (orderIds.length === 0) return;
  const update = (inList: string, nowParam: string) =>
    `UPDATE orders SET status = agg.st, updated_at = ${nowParam} FROM (SELECT s.order_id AS oid, ${ORDER_STATUS_OF_GROUP} AS st ` +
    `FROM shipments s WHERE s.order_id ${inList} GROUP BY s.order_id) AS agg ` +
    `WHERE orders.id ${inList} AND orders.id = agg.oid AND orders.cancel_reason IS NULL AND orders.status <> agg.st`;
  if (conn.dialect === 'postgres') {
    await conn.run(update('= ANY($1::text[])', '$2'), [orderIds, now]);
    return;
  }
  await forKeyChunks(orderIds, async (inList, keys) => conn.run(update(inList, '?1'), [now, ...keys]), 2);
}

export function shipmentsWriter(): KindWriter<ShipmentRow> {
  const customers = new NameIds('customers');
  const carriers = new NameIds('carriers');
  const places = new KeyCache(nameKey);
  const open = new KeyedBatch<ShipmentRow>();
  return {
    get pending() {
      return open.pending;
    },
    add(row) {
      open.add(row.shipment_id, row, mergeShipmentRows);
    },
    take() {
      const { rows: batch, count } = open.take();
      return async (conn, now, load) => {
        const list = [...batch.values()];
        await customers.resolve(conn, list.map((r) => r.customer), now);
        await carriers.resolve(conn, list.map((r) => r.carrier), now);
        const explicit: SqlValue[][] = [];
        const derived: SqlValue[][] = [];
        const orders = new Map<string, { row: SqlValue[]; statuses: ShipmentStatus[] }>();
        for (const r of list) {
          const customerId = customers.id(r.customer);
          const status = r.status ?? deriveStatus(r);
          (r.status ? explicit : derived).push([
            r.shipment_id, r.order_id, r.po_number, r.order_date, r.order_date ?? r.ship_date, customerId, carriers.id(r.carrier),
            r.mode, r.origin, r.destination, places.key(r.origin), places.key(r.destination), r.ship_date, r.promised_date,
            r.delivered_date, status, r.quantity_ordered, r.quantity_delivered, r.weight_kg, r.freight_cost, r.currency,
          ]);
          if (r.order_id) {
            const row = [r.order_id, customerId, r.po_number, 'open', r.order_date ?? r.ship_date, r.origin, r.destination];
            const o = orders.get(r.order_id);
            if (o) {
              o.row = row;
              o.statuses.push(status);
            } else orders.set(r.order_id, { row, statuses: [status] });
          }
        }
        let newExplicit: NewRows;
        let newDerived: NewRows;
        if (load?.copyInto.has('shipments') && (await upsertShipmentsDerived.copyNew(conn, explicit.length ? [...explicit, ...derived] : derived, now))) {
          newExplicit = allNew(explicit.length);
          newDerived = allNew(derived.length);
        } else {
          load?.copyInto.delete('shipments');
          newExplicit = await upsertShipmentsExplicit.newRows(conn, explicit, now, 'shipment_id');
          newDerived = await upsertShipmentsDerived.newRows(conn, derived, now, 'shipment_id');
        }
        const inserted = newExplicit.count + newDerived.count;
        // A row without order_id that updated a stored shipment keeps that shipment's order (COALESCE
        // above), whose status may now change too (a delivery file without the order column).
        const updatedWithoutOrder = inserted < list.length
          ? list.filter((r) => !r.order_id && !(r.status ? newExplicit : newDerived).has(r.shipment_id)).map((r) => r.shipment_id)
          : [];
        const storedOrders = updatedWithoutOrder.length
          ? (await selectIn<{ order_id: string | null }>(conn, 'SELECT DISTINCT order_id FROM shipments WHERE order_id IS NOT NULL AND shipment_id', updatedWithoutOrder, 'text'))
              .map((r) => r.order_id!)
              .filter((id) => !orders.has(id))
          : [];
        await refreshOrders(conn, [...new Set(storedOrders)], now);
        if (orders.size) {
          const orderRows: SqlValue[][] = [];
          for (const o of orders.values()) {
            o.row[3] = orderStatusFrom(o.statuses);
            orderRows.push(o.row);
          }
          let newOrders: NewRows;
          if (load?.copyInto.has('orders') && (await upsertOrders.copyNew(conn, orderRows, now))) newOrders = allNew(orderRows.length);
          else {
            // An order of an earlier batch again (its shipments span two batches): upserts from now on.
            load?.copyInto.delete('orders');
            newOrders = await upsertOrders.newRows(conn, orderRows, now, 'id');
          }
          // An order created by this batch from shipments this batch created has the status of those
          // shipments (an order row exists for every order_id a shipment carries: the importer and the
          // seeder write both); any other order is recomputed from all its shipments.
          const withOlderShipments = new Set<string>();
          if (inserted < list.length) {
            for (const r of list) if (r.order_id && !(r.status ? newExplicit : newDerived).has(r.shipment_id)) withOlderShipments.add(r.order_id);
          }
          const stale = newOrders.count === orders.size && withOlderShipments.size === 0
            ? []
            : [...orders.keys()].filter((id) => !newOrders.has(id) || withOlderShipments.has(id));
          await refreshOrders(conn, stale, now);
        }
        return { inserted, updated: count - inserted, rejections: [] };
      };
    },
  };
}

// ---------------------------------------------------------------- invoices

const upsertInvoices = new BulkUpsert('invoices', [int('carrier_id'), text('invoice_number'), date('invoice_date'), text('currency')], {
  stamps: STAMPS,
  conflict: 'ON CONFLICT (carrier_id, invoice_number, invoice_date) DO UPDATE SET currency = excluded.currency, updated_at = excluded.updated_at',
});
const INVOICE_KEY = "id, carrier_id || '|' || invoice_number || '|' || CAST(invoice_date AS TEXT) AS k";

const upsertInvoiceLines = new BulkUpsert('invoice_lines',
  [int('invoice_id'), text('line_key'), int('carrier_id'), date('invoice_date'), text('shipment_ref'), text('charge_type'),
    text('charge_code'), float('billed_weight_kg'), money('amount'), text('currency')], {
    stamps: STAMPS,
    rowid: 'id',
    conflict: 'ON CONFLICT (line_key) DO UPDATE SET invoice_id = excluded.invoice_id, currency = excluded.currency, updated_at = excluded.updated_at',
  });

/** How many recent distinct line contents the ordinal of identical lines is tracked for (memory stays flat). */
export const LINE_ORDINAL_WINDOW = 100_000;

/**
 * A line's identity (invoice_lines.line_key): its invoice date, the sha1 of its content (base64url,
 * 27 characters; see invoiceLineContent) and its ordinal among identical lines so far in the file:
 * `2026-03-10:<sha1>:2`. Two identical lines on one invoice stay two lines, and a re-import of the
 * same file finds the same keys. The date in front keeps the unique index's inserts local: with
 * the bare hash every insert lands on a random page of a large index (SQLite: 35k rows/s instead of
 * 170k at 2 million lines). `hash` is invoiceLineHash(row), for callers that already have it.
 */
export function invoiceLineKey(row: InvoiceLineRow, ordinal: number, hash = invoiceLineHash(row)): string {
  return `${row.invoice_date}:${hash}:${ordinal}`;
}

export function invoiceLineHash(row: InvoiceLineRow, carrierKey?: string): string {
  // crypto.hash: one call, about three times faster than createHash().update().digest() per line.
  return hash('sha1', invoiceLineContent(row, carrierKey), 'base64url');
}

export function invoicesWriter(): KindWriter<InvoiceLineRow> {
  const carriers = new NameIds('carriers');
  const carrierKeys = new KeyCache(nameKey);
  const ordinals = new Lru<string, number>(LINE_ORDINAL_WINDOW);
  const invoiceIds = new Lru<string, number>(50_000);
  const open = new KeyedBatch<InvoiceLineRow>();
  let last: InvoiceLineRow | undefined;
  return {
    get pending() {
      return open.pending;
    },
    continues(row) {
      return (
        last !== undefined && row.invoice_number === last.invoice_number && row.invoice_date === last.invoice_date &&
        (row.carrier === last.carrier || nameKey(row.carrier) === nameKey(last.carrier))
      );
    },
    add(row) {
      last = row;
      const hash = invoiceLineHash(row, carrierKeys.key(row.carrier));
      const n = (ordinals.get(hash) ?? 0) + 1;
      ordinals.set(hash, n);
      open.add(invoiceLineKey(row, n, hash), row);
    },
    take() {
      const { rows: batch, count } = open.take();
      return async (conn, now, load) => {
        await carriers.resolve(conn, [...batch.values()].map((r) => r.carrier), now);
        // Each line's document, and the id of each document of the batch (undefined: not stored yet).
        const lineDocs: string[] = [];
        const docIds = new Map<string, number | undefined>();
        const newDocs: SqlValue[][] = [];
        let prev: InvoiceLineRow | undefined;
        let k = '';
        for (const r of batch.values()) {
          const carrierId = carriers.id(r.carrier);
          // The lines of a document usually follow each other: its key is built once.
          if (!prev || r.invoice_number !== prev.invoice_number || r.invoice_date !== prev.invoice_date || r.carrier !== prev.carrier) {
            k = `${carrierId}|${r.invoice_number}|${r.invoice_date}`;
          }
          prev = r;
          lineDocs.push(k);
          if (docIds.has(k)) continue;
          const id = invoiceIds.get(k);
          docIds.set(k, id);
          if (id === undefined) newDocs.push([carrierId, r.invoice_number, r.invoice_date, r.currency]);
        }
        const stored = await upsertInvoices.returning<{ id: number; k: string }>(conn, newDocs, now, INVOICE_KEY);
        for (const d of stored) docIds.set(d.k, Number(d.id));
        const lines: SqlValue[][] = [];
        let i = 0;
        for (const [key, r] of batch) {
          const invoiceId = docIds.get(lineDocs[i++]);
          if (invoiceId === undefined) throw new Error(`invoice ${lineDocs[i - 1]} was not stored`);
          lines.push([invoiceId, key, carriers.id(r.carrier), r.invoice_date, r.shipment_ref, r.charge_type, r.charge_code, r.billed_weight_kg, r.amount, r.currency]);
        }
        let inserted: number;
        if (load?.copyInto.has('invoice_lines') && (await upsertInvoiceLines.copyNew(conn, lines, now))) inserted = lines.length;
        else {
          load?.copyInto.delete('invoice_lines');
          inserted = await upsertInvoiceLines.countNew(conn, lines, now);
        }
        // Cached only now: these ids are known to exist once this batch commits (a failed batch ends the import).
        for (const d of stored) invoiceIds.set(d.k, Number(d.id));
        return { inserted, updated: count - inserted, rejections: [] };
      };
    },
  };
}

// ---------------------------------------------------------------- rates

const upsertRates = new BulkUpsert('rates',
  [text('rate_key'), int('carrier_id'), text('origin'), text('destination'), text('origin_key'), text('destination_key'),
    text('rate_basis'), money('rate'), money('min_charge'), float('fuel_pct'), text('charge_code'), date('valid_from'),
    date('valid_to'), text('currency')], {
    stamps: STAMPS,
    rowid: 'id',
    // A contract row is stated whole: every column takes the file's value.
    conflict:
      'ON CONFLICT (rate_key) DO UPDATE SET origin = excluded.origin, destination = excluded.destination, rate = excluded.rate, ' +
      'min_charge = excluded.min_charge, fuel_pct = excluded.fuel_pct, valid_to = excluded.valid_to, currency = excluded.currency, ' +
      'updated_at = excluded.updated_at',
  });

export function ratesWriter(): KindWriter<RateRow> {
  const carriers = new NameIds('carriers');
  let open: RateRow[] = [];
  return {
    get pending() {
      return open.length;
    },
    add(row) {
      open.push(row);
    },
    take() {
      const batch = open;
      open = [];
      return async (conn, now) => {
        await carriers.resolve(conn, batch.map((r) => r.carrier), now);
        const byKey = new Map<string, SqlValue[]>();
        for (const r of batch) {
          const carrierId = carriers.id(r.carrier);
          const key = rateKey(carrierId, r);
          byKey.delete(key);
          byKey.set(key, [key, carrierId, r.origin, r.destination, r.origin_key, r.destination_key, r.rate_basis, r.rate, r.min_charge,
            r.fuel_pct, r.charge_code, r.valid_from, r.valid_to, r.currency]);
        }
        const inserted = await upsertRates.countNew(conn, [...byKey.values()], now);
        return { inserted, updated: batch.length - inserted, rejections: [] };
      };
    },
  };
}

// ---------------------------------------------------------------- events

const upsertEvents = new BulkUpsert('tracking_events',
  [int('shipment_id'), { name: 'event_time', pg: 'timestamptz' }, text('status'), text('location'), text('description')], {
    stamps: ['created_at'],
    rowid: 'id',
    conflict: 'ON CONFLICT (shipment_id, event_time, status) DO UPDATE SET location = excluded.location, description = excluded.description',
  });

const LATEST_EVENT_STATUS =
  'status = COALESCE((SELECT e.status FROM tracking_events e WHERE e.shipment_id = shipments.id ORDER BY e.event_time DESC, e.id DESC LIMIT 1), shipments.status)';

/** Fills delivered_date (when blank) from the date of a `delivered` event. */
async function fillDeliveredDates(conn: RawConnection, pairs: Map<number, string>, now: string): Promise<void> {
  if (pairs.size === 0) return;
  const ids = [...pairs.keys()];
  if (conn.dialect === 'postgres') {
    await conn.run(
      'UPDATE shipments s SET delivered_date = v.d, updated_at = $3 FROM unnest($1::int[], $2::date[]) AS v(id, d) ' +
        'WHERE s.id = v.id AND s.delivered_date IS NULL',
      [ids, ids.map((id) => pairs.get(id)!), now],
    );
    return;
  }
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const params: SqlValue[] = [now];
    const tuples = chunk.map((id, i) => {
      params.push(id, pairs.get(id)!);
      return `(?${2 + 2 * i}, ?${3 + 2 * i})`;
    });
    await conn.run(
      `UPDATE shipments SET delivered_date = v.column2, updated_at = ?1 FROM (VALUES ${tuples.join(',')}) AS v ` +
        'WHERE shipments.id = v.column1 AND shipments.delivered_date IS NULL',
      params,
    );
  }
}

export function eventsWriter(): KindWriter<EventRow> {
  let open: { row: EventRow; line: number }[] = [];
  return {
    get pending() {
      return open.length;
    },
    add(row, line) {
      open.push({ row, line });
    },
    take() {
      const batch = open;
      open = [];
      return async (conn, now) => {
        const refs = [...new Set(batch.map((e) => e.row.shipment_id))];
        const found = await selectIn<{ id: number; k: string }>(conn, 'SELECT id, shipment_id AS k FROM shipments WHERE shipment_id', refs, 'text');
        const idOf = new Map(found.map((f) => [f.k, Number(f.id)]));
        const rejections: RejectedRow[] = [];
        const events = new Map<string, SqlValue[]>();
        const delivered = new Map<number, string>();
        let accepted = 0;
        for (const { row, line } of batch) {
          const sid = idOf.get(row.shipment_id);
          if (sid === undefined) {
            rejections.push({ line, reason: `shipment_id '${row.shipment_id}' is not a known shipment (import the shipments first)` });
            continue;
          }
          accepted++;
          const key = `${sid}|${row.event_time}|${row.status}`;
          events.delete(key);
          events.set(key, [sid, row.event_time, row.status, row.location, row.description]);
          if (row.status === 'delivered') {
            const d = delivered.get(sid);
            if (d === undefined || row.event_date < d) delivered.set(sid, row.event_date);
          }
        }
        const ids = [...new Set([...events.values()].map((e) => e[0] as number))];
        const inserted = await upsertEvents.countNew(conn, [...events.values()], now);
        // The latest event's status becomes the shipment's status (data.md), whatever order files come in.
        await updateIn(conn, 'shipments', { sqlite: `${LATEST_EVENT_STATUS}, updated_at = ?1`, pg: `${LATEST_EVENT_STATUS}, updated_at = $2` }, 'id', ids, 'integer', now);
        await fillDeliveredDates(conn, delivered, now);
        const orderIds = await selectIn<{ k: string }>(conn, 'SELECT DISTINCT order_id AS k FROM shipments WHERE order_id IS NOT NULL AND id', ids, 'integer');
        await refreshOrders(conn, [...new Set(orderIds.map((o) => o.k))], now);
        return { inserted, updated: accepted - inserted, rejections };
      };
    },
  };
}

/** The tables an import of each kind writes (data/import/importService.ts analyzes them after a large one). */
export const TABLES_WRITTEN: { [k in ImportKind]: readonly string[] } = {
  shipments: ['shipments', 'orders', 'customers', 'carriers'],
  invoices: ['invoice_lines', 'invoices', 'carriers'],
  rates: ['rates', 'carriers'],
  events: ['tracking_events', 'shipments', 'orders'],
};

export function writerFor<K extends ImportKind>(kind: K): KindWriter<RowsByKind[K]> {
  const writers: { [k in ImportKind]: () => KindWriter<RowsByKind[k]> } = {
    shipments: shipmentsWriter,
    invoices: invoicesWriter,
    rates: ratesWriter,
    events: eventsWriter,
  };
  return writers[kind]() as KindWriter<RowsByKind[K]>;
}
