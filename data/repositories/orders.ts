import type {
  CancelOutcome,
  CreateOrderMeta,
  OrderDraft,
  OrderRepository,
  OrderStatus,
  OrderView,
} from '../../domain/repositories';
import type { Item, ServiceLevel, Unit } from '../../domain/nlu/types';
import { nameKey } from '../../domain/names';
import type { SqlParam, SqlRunner } from '../../domain/sql';
import { isUniqueViolation, num, placeholders, stamp, textOrder, writeTransaction, ymd, type RepoContext } from './support';

/** The first number of an order entered through Waybill when no ORD- number exists yet. */
export const FIRST_ORDER_NUMBER = 10001;
/** Attempts when another writer took the same ORD- number at the same moment. */
const MAX_ATTEMPTS = 8;

interface OrderRow {
  id: string;
  status: string;
  order_date: unknown;
  created_by: string | null;
  cancel_reason: string | null;
  customer: string;
  origin: string | null;
  destination: string | null;
  pickup_date: unknown;
  delivery_date: unknown;
  weight_kg: unknown;
  service_level: string | null;
  po_number: string | null;
  carrier: string | null;
  shipped_count: unknown;
}

interface LineRow {
  order_id: string;
  quantity: unknown;
  unit: string;
  description: string | null;
  sku: string | null;
}

/** The orders matching `where` (over orders `o`) with their lines and shipped count, by id. */
async function loadOrders(sql: SqlRunner, where: string, params: SqlParam[]): Promise<OrderView[]> {
  const rows = await sql.query<OrderRow>(
    `SELECT o.id, o.status, o.order_date, o.created_by, o.cancel_reason, cu.name AS customer, o.origin, o.destination,
       o.pickup_date, o.delivery_date, o.weight_kg, o.service_level, o.po_number, ca.name AS carrier,
       (SELECT COUNT(*) FROM shipments s WHERE s.order_id = o.id AND s.ship_date IS NOT NULL) AS shipped_count
     FROM orders o JOIN customers cu ON cu.id = o.customer_id LEFT JOIN carriers ca ON ca.id = o.carrier_id
     WHERE ${where}
     ORDER BY ${textOrder(sql.dialect, 'o.id')}`,
    params,
  );
  if (rows.length === 0) return [];
  const lines = await sql.query<LineRow>(
    `SELECT order_id, quantity, unit, description, sku FROM order_lines WHERE order_id IN (${placeholders(rows.length)}) ORDER BY order_id, line_no`,
    rows.map((r) => r.id),
  );
  const itemsOf = new Map<string, Item[]>();
  for (const l of lines) {
    const item: Item = { quantity: Number(l.quantity), unit: l.unit as Unit };
    if (l.description !== null && l.description !== undefined) item.description = l.description;
    if (l.sku !== null && l.sku !== undefined) item.sku = l.sku;
    itemsOf.set(l.order_id, [...(itemsOf.get(l.order_id) ?? []), item]);
  }
  return rows.map((r) => {
    const view: OrderView = {
      id: r.id,
      status: r.status as OrderStatus,
      orderDate: ymd(r.order_date),
      createdBy: r.created_by ?? null,
      // '' is how a cancellation without a reason is kept (a non-null reason keeps re-imports from reopening it).
      cancelReason: r.cancel_reason ? r.cancel_reason : null,
      shippedCount: Number(r.shipped_count ?? 0),
      customer: r.customer,
      origin: r.origin ?? '',
      destination: r.destination ?? '',
      items: itemsOf.get(r.id) ?? [],
    };
    const pickup = ymd(r.pickup_date);
    const delivery = ymd(r.delivery_date);
    const weight = num(r.weight_kg);
    if (pickup) view.pickupDate = pickup;
    if (delivery) view.deliveryDate = delivery;
    if (weight !== null) view.weightKg = weight;
    if (r.service_level) view.serviceLevel = r.service_level as ServiceLevel;
    if (r.po_number) view.poNumber = r.po_number;
    if (r.carrier) view.carrier = r.carrier;
    return view;
  });
}

async function idByName(tx: SqlRunner, table: 'customers' | 'carriers', name: string): Promise<number> {
  const rows = await tx.query<{ id: number | string }>(`SELECT id FROM ${table} WHERE name_key = ?`, [nameKey(name)]);
  if (rows.length === 0) throw new Error(`no ${table === 'customers' ? 'customer' : 'carrier'} named "${name}" to create the order for`);
  return Number(rows[0].id);
}

/** The highest number of the ORD-<digits> ids (null when there is none). */
async function maxOrderNumber(tx: SqlRunner): Promise<number | null> {
  const q =
    tx.dialect === 'postgres'
      ? "SELECT MAX(CAST(substr(id, 5) AS BIGINT)) AS n FROM orders WHERE id LIKE 'ORD-%' AND id ~ '^ORD-[0-9]{1,15}$'"
      : "SELECT MAX(CAST(substr(id, 5) AS INTEGER)) AS n FROM orders WHERE id GLOB 'ORD-[0-9]*' AND substr(id, 5) NOT GLOB '*[^0-9]*' AND length(id) <= 19";
  const [{ n }] = await tx.query<{ n: number | string | null }>(q);
  return num(n);
}

export function createOrderRepository({ db, now }: RepoContext): OrderRepository {
  const pg = db.dialect === 'postgres';

  async function createOnce(draft: OrderDraft, meta: CreateOrderMeta): Promise<{ id: string; created: boolean }> {
    return writeTransaction(db, async (tx) => {
      const existing = await tx.query<{ id: string }>('SELECT id FROM orders WHERE request_key = ?', [meta.requestKey]);
      if (existing.length) return { id: existing[0].id, created: false };
      const customerId = await idByName(tx, 'customers', draft.customer);
      const carrierId = draft.carrier !== undefined && draft.carrier.trim() !== '' ? await idByName(tx, 'carriers', draft.carrier) : null;
      const id = `ORD-${Math.max(((await maxOrderNumber(tx)) ?? 0) + 1, FIRST_ORDER_NUMBER)}`;
      const at = stamp(now());
      await tx.query(
        `INSERT INTO orders (id, customer_id, po_number, status, order_date, origin, destination, pickup_date, delivery_date,
           service_level, carrier_id, weight_kg, created_by, request_key, created_at, updated_at)
         VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id, customerId, draft.poNumber ?? null, meta.orderDate, draft.origin, draft.destination, draft.pickupDate ?? null,
          draft.deliveryDate ?? null, draft.serviceLevel ?? null, carrierId, draft.weightKg ?? null, meta.createdBy,
          meta.requestKey, at, at,
        ],
      );
      if (draft.items.length) {
        const params: SqlParam[] = [];
        draft.items.forEach((item, i) => params.push(id, i + 1, item.quantity, item.unit, item.description ?? null, item.sku ?? null));
        await tx.query(
          `INSERT INTO order_lines (order_id, line_no, quantity, unit, description, sku) VALUES ${draft.items.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
          params,
        );
      }
      return { id, created: true };
    });
  }

  return {
    async create(draft, meta) {
      for (let attempt = 1; ; attempt++) {
        try {
          // The next number is read and taken in one transaction; when another writer took the same
          // number (or the same request key) first, the unique index refuses ours and we look again.
          const { id, created } = await createOnce(draft, meta);
          const [order] = await loadOrders(db.sql, 'o.id = ?', [id]);
          return { order, created };
        } catch (e) {
          if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) throw e;
        }
      }
    },

    async find(ref) {
      const conds: string[] = [];
      const params: SqlParam[] = [];
      if (ref.orderId !== undefined && ref.orderId.trim() !== '') {
        conds.push('upper(o.id) = upper(?)');
        params.push(ref.orderId.trim());
      }
      if (ref.poNumber !== undefined && ref.poNumber.trim() !== '') {
        conds.push('upper(o.po_number) = upper(?)');
        params.push(ref.poNumber.trim());
      }
      if (conds.length === 0) return [];
      return loadOrders(db.sql, conds.join(' OR '), params);
    },

    async cancel(orderId, meta): Promise<{ outcome: CancelOutcome; order?: OrderView }> {
      return writeTransaction(db, async (tx) => {
        // The row lock makes a cancel and a concurrent cancel or shipment update take turns (SQLite: the write lock).
        const found = await tx.query<{ id: string; status: string }>(
          `SELECT id, status FROM orders WHERE upper(id) = upper(?) ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END${pg ? ' FOR UPDATE' : ''}`,
          [orderId.trim(), orderId.trim()],
        );
        if (found.length === 0) return { outcome: 'not_found' as const };
        const { id, status } = found[0];
        const view = async () => (await loadOrders(tx, 'o.id = ?', [id]))[0];
        if (status === 'cancelled') return { outcome: 'already_cancelled' as const, order: await view() };
        const [{ shipped }] = await tx.query<{ shipped: number | string }>(
          'SELECT COUNT(*) AS shipped FROM shipments WHERE order_id = ? AND ship_date IS NOT NULL',
          [id],
        );
        if (status === 'shipped' || status === 'delivered' || Number(shipped) > 0) return { outcome: 'shipped' as const, order: await view() };
        const at = stamp(now());
        await tx.query("UPDATE orders SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ?", [meta.reason?.trim() ?? '', at, id]);
        await tx.query("UPDATE shipments SET status = 'cancelled', updated_at = ? WHERE order_id = ? AND ship_date IS NULL", [at, id]);
        return { outcome: 'cancelled' as const, order: await view() };
      });
    },
  };
}
