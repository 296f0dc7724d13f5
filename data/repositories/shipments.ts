import type {
  ShipmentListQuery,
  ShipmentRef,
  ShipmentRepository,
  ShipmentView,
  StoredStatus,
  TrackingEventView,
} from '../../domain/repositories';
import { filterKeys, shipmentFilterConditions } from '../../domain/kpi/queries';
import { andAll, raw, sql as sqlText, type Sql } from '../../domain/kpi/sqlText';
import type { SqlParam } from '../../domain/sql';
import { closestValues, num, placeholders, textOrder, toDate, ymd, type RepoContext } from './support';

interface ShipmentRow {
  shipment_id: string;
  order_id: string | null;
  po_number: string | null;
  customer: string;
  carrier: string;
  mode: string | null;
  origin: string;
  destination: string;
  order_date: unknown;
  ship_date: unknown;
  promised_date: unknown;
  delivered_date: unknown;
  status: string;
  weight_kg: unknown;
  quantity_ordered: unknown;
  quantity_delivered: unknown;
}

/** The columns of a ShipmentView, over shipments `s` joined to their customer `cu` and carrier `ca`. */
export const SHIPMENT_COLUMNS = `s.shipment_id, s.order_id, s.po_number, cu.name AS customer, ca.name AS carrier, s.mode,
  s.origin, s.destination, s.order_date, s.ship_date, s.promised_date, s.delivered_date, s.status, s.weight_kg,
  s.quantity_ordered, s.quantity_delivered`;
export const SHIPMENT_FROM = 'shipments s JOIN customers cu ON cu.id = s.customer_id JOIN carriers ca ON ca.id = s.carrier_id';

export function toShipmentView(r: ShipmentRow): ShipmentView {
  return {
    shipmentId: r.shipment_id,
    orderId: r.order_id ?? null,
    poNumber: r.po_number ?? null,
    customer: r.customer,
    carrier: r.carrier,
    mode: r.mode ?? null,
    origin: r.origin,
    destination: r.destination,
    orderDate: ymd(r.order_date),
    shipDate: ymd(r.ship_date),
    promisedDate: ymd(r.promised_date),
    deliveredDate: ymd(r.delivered_date),
    status: r.status as StoredStatus,
    weightKg: num(r.weight_kg),
    quantityOrdered: num(r.quantity_ordered),
    quantityDelivered: num(r.quantity_delivered),
  };
}

export function createShipmentRepository({ db }: RepoContext): ShipmentRepository {
  const { sql } = db;
  const pg = db.dialect === 'postgres';
  const date = (ymdText: string): Sql => (pg ? sqlText`CAST(${ymdText} AS DATE)` : sqlText`${ymdText}`);
  const byShipDate = `(s.ship_date IS NULL), s.ship_date, ${textOrder(db.dialect, 's.shipment_id')}`;

  return {
    async findByRef(ref: ShipmentRef): Promise<ShipmentView[]> {
      let where: string;
      let params: SqlParam[];
      // Every lookup is an upper() expression index of migration 002.
      if (ref.trackingNumber !== undefined) {
        where = 'upper(s.shipment_id) = upper(?)';
        params = [ref.trackingNumber.trim()];
      } else if (ref.orderId !== undefined) {
        where = 'upper(s.order_id) = upper(?)';
        params = [ref.orderId.trim()];
      } else if (ref.poNumber !== undefined) {
        // The shipments that carry the PO, and those of the orders that do.
        where = `s.id IN (SELECT x.id FROM shipments x WHERE upper(x.po_number) = upper(?)
          UNION SELECT x.id FROM shipments x JOIN orders o ON o.id = x.order_id WHERE upper(o.po_number) = upper(?))`;
        params = [ref.poNumber.trim(), ref.poNumber.trim()];
      } else {
        return [];
      }
      const rows = await sql.query<ShipmentRow>(`SELECT ${SHIPMENT_COLUMNS} FROM ${SHIPMENT_FROM} WHERE ${where} ORDER BY ${byShipDate}`, params);
      return rows.map(toShipmentView);
    },

    async recentEvents(shipmentIds: string[], perShipment: number): Promise<Map<string, TrackingEventView[]>> {
      const out = new Map<string, TrackingEventView[]>();
      const ids = [...new Set(shipmentIds)];
      if (ids.length === 0 || perShipment <= 0) return out;
      const rows = await sql.query<{ shipment_id: string; event_time: unknown; status: string; location: string | null; description: string | null }>(
        `SELECT x.shipment_id, x.event_time, x.status, x.location, x.description FROM (
           SELECT s.shipment_id, e.event_time, e.status, e.location, e.description,
             ROW_NUMBER() OVER (PARTITION BY e.shipment_id ORDER BY e.event_time DESC, e.id DESC) AS rn
           FROM shipments s JOIN tracking_events e ON e.shipment_id = s.id
           WHERE s.shipment_id IN (${placeholders(ids.length)})
         ) x WHERE x.rn <= ? ORDER BY x.shipment_id, x.rn`,
        [...ids, Math.floor(perShipment)],
      );
      for (const r of rows) {
        const list = out.get(r.shipment_id) ?? [];
        list.push({ time: toDate(r.event_time).toISOString(), status: r.status, location: r.location ?? null, description: r.description ?? null });
        out.set(r.shipment_id, list);
      }
      return out;
    },

    async closestIds(ref: ShipmentRef, limit: number): Promise<string[]> {
      if (ref.trackingNumber !== undefined) return closestValues(sql, [{ table: 'shipments', column: 'shipment_id' }], ref.trackingNumber, limit);
      if (ref.orderId !== undefined) {
        return closestValues(sql, [{ table: 'orders', column: 'id' }, { table: 'shipments', column: 'order_id' }], ref.orderId, limit);
      }
      if (ref.poNumber !== undefined) {
        return closestValues(sql, [{ table: 'orders', column: 'po_number' }, { table: 'shipments', column: 'po_number' }], ref.poNumber, limit);
      }
      return [];
    },

    async list(q: ShipmentListQuery): Promise<{ total: number; rows: ShipmentView[] }> {
      const today = date(q.today);
      const filters = filterKeys(q.filters);
      const named = Boolean(filters.carrier || filters.customer || filters.origin || filters.destination);
      // Which index finds the rows. SQLite plans without statistics and would take an equality index
      // (a carrier's or customer's whole history) over the few open shipments or a date range, so the
      // other columns are written `+column` there (see domain/kpi/queries.ts); PostgreSQL has statistics.
      // The open statuses come first: in a working database nearly every shipment is delivered.
      const drive: 'status' | 'period' | 'names' =
        q.status !== undefined && OPEN.has(q.status) ? 'status' : q.period ? 'period' : named ? 'names' : 'status';
      const col = (c: string, driver: typeof drive): Sql => raw(pg || drive === driver ? c : `+${c}`);
      const conds: Sql[] = [];
      // "delayed" written so the (status, promised_date) index serves it.
      const delayed = sqlText`s.status IN ('pending', 'in_transit', 'exception') AND s.promised_date < ${today}`;
      if (q.status === 'delayed') conds.push(delayed);
      else if (q.status !== undefined) conds.push(sqlText`${col('s.status', 'status')} = ${q.status}`);
      conds.push(...shipmentFilterConditions(db.dialect, filters, 's', { indexed: drive === 'names' }));
      if (q.period) {
        // The date of a shipment: delivered_date when delivered, else ship_date, else its order date
        // (kpi_order_date is order_date when not shipped). Three indexable ranges.
        const from = date(q.period.from);
        const to = date(q.period.to);
        const [delivered, shipped, ordered] = ['s.delivered_date', 's.ship_date', 's.kpi_order_date'].map((c) => col(c, 'period'));
        const isDelivered = sqlText`(${col('s.status', 'status')} = 'delivered' AND s.delivered_date IS NOT NULL)`;
        conds.push(sqlText`((${isDelivered} AND ${delivered} BETWEEN ${from} AND ${to})
          OR (NOT ${isDelivered} AND ${shipped} BETWEEN ${from} AND ${to})
          OR (NOT ${isDelivered} AND s.ship_date IS NULL AND ${ordered} BETWEEN ${from} AND ${to}))`);
      }
      const where = conds.length ? sqlText`WHERE 1 = 1${andAll(conds)}` : raw('');
      if (q.limit <= 0) return { total: await count(where), rows: [] };
      // Urgency: exception, delayed (longest overdue first), in transit (earliest promised first),
      // pending, delivered (latest first), cancelled; then the shipment id.
      const urgency = sqlText`CASE WHEN s.status = 'exception' THEN 0
        WHEN ${delayed} THEN 1 WHEN s.status = 'in_transit' THEN 2 WHEN s.status = 'pending' THEN 3
        WHEN s.status = 'delivered' THEN 4 ELSE 5 END`;
      const order = (a: string) => `${a}.urgency,
          (CASE WHEN ${a}.urgency <= 3 THEN ${a}.promised END) IS NULL, CASE WHEN ${a}.urgency <= 3 THEN ${a}.promised END,
          (CASE WHEN ${a}.urgency = 4 THEN ${a}.delivered END) IS NULL, CASE WHEN ${a}.urgency = 4 THEN ${a}.delivered END DESC,
          ${textOrder(db.dialect, `${a}.sk`)}`;
      // One pass: the matching rows are counted (a window over all of them), ordered and cut to the page
      // from the index and the few columns the order needs; only the page's rows are read in full.
      const page = sqlText`SELECT ${raw(SHIPMENT_COLUMNS)}, p.total FROM (
          SELECT k.* FROM (
            SELECT s.id AS sid, ${urgency} AS urgency, s.promised_date AS promised, s.delivered_date AS delivered,
              s.shipment_id AS sk, COUNT(*) OVER () AS total
            FROM shipments s ${where}
          ) k ORDER BY ${raw(order('k'))} LIMIT ${Math.floor(q.limit)} OFFSET ${Math.max(0, Math.floor(q.offset))}
        ) p JOIN shipments s ON s.id = p.sid JOIN customers cu ON cu.id = s.customer_id JOIN carriers ca ON ca.id = s.carrier_id
        ORDER BY ${raw(order('p'))}`;
      const rows = await sql.query<ShipmentRow & { total: number | string }>(...args(page));
      // Past the last page there is no row to carry the count.
      const total = rows.length ? Number(rows[0].total) : q.offset > 0 ? await count(where) : 0;
      return { total, rows: rows.map(toShipmentView) };
    },
  };

  async function count(where: Sql): Promise<number> {
    const [{ n }] = await sql.query<{ n: number | string }>(...args(sqlText`SELECT COUNT(*) AS n FROM shipments s ${where}`));
    return Number(n);
  }
}

/** The statuses of shipments still under way: few, next to the delivered history. */
const OPEN = new Set(['pending', 'in_transit', 'exception', 'delayed']);

const args = (s: Sql): [string, SqlParam[]] => [s.text, [...s.params]];
