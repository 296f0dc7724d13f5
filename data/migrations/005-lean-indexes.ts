import type { QueryInterface } from 'sequelize';

/**
 * Drops the indexes no query uses, because every row an import writes pays for each of them (a
 * shipment maintained 14 indexes: about 0.5 µs of SQLite and 1 µs of PostgreSQL per index and row).
 *
 * Kept on shipments, each for a lookup the bot makes: shipment_id (unique; the importer's upsert, the
 * audit's and the events' joins), upper(shipment_id) / upper(order_id) / upper(po_number) (references
 * people type), order_id (an order's shipments), ship_date / delivered_date / kpi_order_date (the KPI
 * periods), (carrier_id, ship_date) / (customer_id, ship_date) (KPI filters), (status, promised_date)
 * (delayed shipments). Dropped:
 *  - shipments (origin_key), (destination_key): place filters match the key or a "key," prefix
 *    (domain/kpi/queries.ts), which SQLite is told not to index (`+column`) and PostgreSQL cannot
 *    serve from a btree under a non-C collation; they always run within a date range;
 *  - shipments (promised_date): no query ranges over it alone (delayed lists use status first);
 *  - orders (status), (customer_id): no query filters orders by them.
 * orders (request_key) becomes partial (WHERE request_key IS NOT NULL): only orders created in chat
 * have one, and `request_key = ?` still uses it; imported orders no longer add a NULL entry each.
 */
const DROPPED = [
  ['shipments_origin_key_idx', 'shipments', 'origin_key'],
  ['shipments_destination_key_idx', 'shipments', 'destination_key'],
  ['shipments_promised_date_idx', 'shipments', 'promised_date'],
  ['orders_status_idx', 'orders', 'status'],
  ['orders_customer_idx', 'orders', 'customer_id'],
] as const;

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const q = (s: string) => qi.sequelize.query(s);
  for (const [index] of DROPPED) await q(`DROP INDEX IF EXISTS ${index}`);
  await q('DROP INDEX IF EXISTS orders_request_key_uq');
  await q('CREATE UNIQUE INDEX orders_request_key_uq ON orders (request_key) WHERE request_key IS NOT NULL');
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  const q = (s: string) => qi.sequelize.query(s);
  await q('DROP INDEX IF EXISTS orders_request_key_uq');
  await q('CREATE UNIQUE INDEX orders_request_key_uq ON orders (request_key)');
  for (const [index, table, column] of DROPPED) await q(`CREATE INDEX ${index} ON ${table} (${column})`);
}
