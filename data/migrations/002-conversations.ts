import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * What the conversations need besides 001: dialog state per conversation, invoice disputes, an
 * idempotency key for orders created from a confirmation, and indexes for the lookups people make by
 * reference (case-insensitive: "ord-10042", "shp-000123", "inv 2026-00042").
 *
 * Expression indexes (SQLite 3.9+, PostgreSQL) serve the case-insensitive lookups: the queries of
 * data/repositories/ write exactly these expressions (`upper(col) = upper(?)`). The plain po_number
 * indexes of 001 served no query and are replaced by their upper() form; the plain order_id and
 * shipment_id indexes stay (the importer's upserts and order refresh use them).
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('conversation_states', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    key: { type: DataTypes.STRING(300), allowNull: false },
    // JSON text.
    state: { type: DataTypes.TEXT, allowNull: false },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('conversation_states', ['key'], { unique: true, name: 'conversation_states_key_uq' });
  await qi.addIndex('conversation_states', ['expires_at'], { name: 'conversation_states_expires_idx' });

  await qi.createTable('invoice_disputes', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    // One dispute per confirmation: a repeated click or a retried event records nothing new.
    request_key: { type: DataTypes.STRING(200), allowNull: false },
    invoice_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'invoices', key: 'id' }, onDelete: 'CASCADE' },
    amount: { type: DataTypes.DECIMAL(14, 2), allowNull: true },
    reason: { type: DataTypes.TEXT },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open' },
    created_by: { type: DataTypes.STRING(200), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('invoice_disputes', ['request_key'], { unique: true, name: 'invoice_disputes_request_key_uq' });
  await qi.addIndex('invoice_disputes', ['invoice_id'], { name: 'invoice_disputes_invoice_idx' });

  // Idempotent order creation: NULL for imported orders (unique indexes allow many NULLs on both databases).
  const q = (s: string) => qi.sequelize.query(s);
  // Plain ALTER TABLE: Sequelize's addColumn names the table "public"."orders" on PostgreSQL, outside a ?schema= search_path.
  await q('ALTER TABLE orders ADD COLUMN request_key VARCHAR(200)');
  await qi.addIndex('orders', ['request_key'], { unique: true, name: 'orders_request_key_uq' });

  await q('CREATE INDEX shipments_shipment_id_upper_idx ON shipments (upper(shipment_id))');
  await q('CREATE INDEX shipments_order_id_upper_idx ON shipments (upper(order_id))');
  await q('DROP INDEX shipments_po_number_idx');
  await q('CREATE INDEX shipments_po_number_upper_idx ON shipments (upper(po_number))');
  await q('CREATE INDEX orders_id_upper_idx ON orders (upper(id))');
  await q('DROP INDEX orders_po_number_idx');
  await q('CREATE INDEX orders_po_number_upper_idx ON orders (upper(po_number))');
  // The invoice number as the audit compares it: upper case, trimmed, inner spaces removed.
  await q("CREATE INDEX invoices_number_norm_idx ON invoices (replace(upper(trim(invoice_number)), ' ', ''))");
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  const q = (s: string) => qi.sequelize.query(s);
  for (const index of [
    'invoices_number_norm_idx', 'orders_po_number_upper_idx', 'orders_id_upper_idx', 'shipments_po_number_upper_idx',
    'shipments_order_id_upper_idx', 'shipments_shipment_id_upper_idx', 'orders_request_key_uq',
  ]) {
    await q(`DROP INDEX IF EXISTS ${index}`);
  }
  await qi.addIndex('orders', ['po_number'], { name: 'orders_po_number_idx' });
  await qi.addIndex('shipments', ['po_number'], { name: 'shipments_po_number_idx' });
  // Plain ALTER TABLE (SQLite 3.35+): Sequelize's SQLite removeColumn rebuilds the table and loses its indexes.
  await q('ALTER TABLE orders DROP COLUMN request_key');
  await qi.dropTable('invoice_disputes');
  await qi.dropTable('conversation_states');
}
