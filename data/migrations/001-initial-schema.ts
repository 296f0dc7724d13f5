import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * The shared database: master data, orders, shipments and their timelines, invoices, contracts,
 * audit findings, digest subscriptions, people and roles, the action log and idempotency keys.
 * Dates the KPIs use are DATEONLY (YYYY-MM-DD); money is DECIMAL(14,2) so PostgreSQL keeps cents exact
 * (contract rates DECIMAL(14,4), as per-kg rates have fractions of a cent).
 */
const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
const money = (allowNull = true) => ({ type: DataTypes.DECIMAL(14, 2), allowNull });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('users', {
    id,
    platform: { type: DataTypes.STRING(16), allowNull: false },
    external_id: { type: DataTypes.STRING(128), allowNull: false },
    display_name: { type: DataTypes.STRING(200) },
    role: { type: DataTypes.STRING(16), allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('users', ['platform', 'external_id'], { unique: true, name: 'users_platform_external_uq' });

  for (const table of ['customers', 'carriers']) {
    await qi.createTable(table, {
      id,
      name: { type: DataTypes.STRING(200), allowNull: false },
      name_key: { type: DataTypes.STRING(200), allowNull: false },
      ...timestamps,
    });
    await qi.addIndex(table, ['name_key'], { unique: true, name: `${table}_name_key_uq` });
  }

  await qi.createTable('orders', {
    id: { type: DataTypes.STRING(40), primaryKey: true, allowNull: false },
    customer_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'customers', key: 'id' } },
    po_number: { type: DataTypes.STRING(64) },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open' },
    order_date: { type: DataTypes.DATEONLY },
    origin: { type: DataTypes.STRING(200) },
    destination: { type: DataTypes.STRING(200) },
    pickup_date: { type: DataTypes.DATEONLY },
    delivery_date: { type: DataTypes.DATEONLY },
    service_level: { type: DataTypes.STRING(16) },
    carrier_id: { type: DataTypes.INTEGER, references: { model: 'carriers', key: 'id' } },
    weight_kg: { type: DataTypes.DOUBLE },
    created_by: { type: DataTypes.STRING(200) },
    cancel_reason: { type: DataTypes.TEXT },
    ...timestamps,
  });
  await qi.addIndex('orders', ['po_number'], { name: 'orders_po_number_idx' });
  await qi.addIndex('orders', ['customer_id'], { name: 'orders_customer_idx' });
  await qi.addIndex('orders', ['status'], { name: 'orders_status_idx' });

  await qi.createTable('order_lines', {
    id,
    order_id: { type: DataTypes.STRING(40), allowNull: false, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
    line_no: { type: DataTypes.INTEGER, allowNull: false },
    quantity: { type: DataTypes.DOUBLE, allowNull: false },
    unit: { type: DataTypes.STRING(16), allowNull: false },
    description: { type: DataTypes.STRING(400) },
    sku: { type: DataTypes.STRING(64) },
  });
  await qi.addIndex('order_lines', ['order_id', 'line_no'], { unique: true, name: 'order_lines_order_line_uq' });

  await qi.createTable('shipments', {
    id,
    shipment_id: { type: DataTypes.STRING(64), allowNull: false },
    order_id: { type: DataTypes.STRING(40) },
    po_number: { type: DataTypes.STRING(64) },
    order_date: { type: DataTypes.DATEONLY },
    // order_date, else ship_date: the date order_count counts by (data.md), kept indexable.
    kpi_order_date: { type: DataTypes.DATEONLY },
    customer_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'customers', key: 'id' } },
    carrier_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'carriers', key: 'id' } },
    mode: { type: DataTypes.STRING(16) },
    origin: { type: DataTypes.STRING(200), allowNull: false },
    destination: { type: DataTypes.STRING(200), allowNull: false },
    // lower-case trimmed places: lane matching and filters are case-insensitive.
    origin_key: { type: DataTypes.STRING(200), allowNull: false },
    destination_key: { type: DataTypes.STRING(200), allowNull: false },
    ship_date: { type: DataTypes.DATEONLY },
    promised_date: { type: DataTypes.DATEONLY },
    delivered_date: { type: DataTypes.DATEONLY },
    status: { type: DataTypes.STRING(16), allowNull: false },
    quantity_ordered: { type: DataTypes.DOUBLE },
    quantity_delivered: { type: DataTypes.DOUBLE },
    weight_kg: { type: DataTypes.DOUBLE },
    freight_cost: money(),
    currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'USD' },
    ...timestamps,
  });
  await qi.addIndex('shipments', ['shipment_id'], { unique: true, name: 'shipments_shipment_id_uq' });
  await qi.addIndex('shipments', ['order_id'], { name: 'shipments_order_id_idx' });
  await qi.addIndex('shipments', ['po_number'], { name: 'shipments_po_number_idx' });
  await qi.addIndex('shipments', ['ship_date'], { name: 'shipments_ship_date_idx' });
  await qi.addIndex('shipments', ['delivered_date'], { name: 'shipments_delivered_date_idx' });
  await qi.addIndex('shipments', ['kpi_order_date'], { name: 'shipments_kpi_order_date_idx' });
  await qi.addIndex('shipments', ['promised_date'], { name: 'shipments_promised_date_idx' });
  await qi.addIndex('shipments', ['status', 'promised_date'], { name: 'shipments_status_promised_idx' });
  await qi.addIndex('shipments', ['carrier_id', 'ship_date'], { name: 'shipments_carrier_ship_idx' });
  await qi.addIndex('shipments', ['customer_id', 'ship_date'], { name: 'shipments_customer_ship_idx' });
  await qi.addIndex('shipments', ['origin_key'], { name: 'shipments_origin_key_idx' });
  await qi.addIndex('shipments', ['destination_key'], { name: 'shipments_destination_key_idx' });

  await qi.createTable('tracking_events', {
    id,
    shipment_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'shipments', key: 'id' }, onDelete: 'CASCADE' },
    event_time: { type: DataTypes.DATE, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    location: { type: DataTypes.STRING(200) },
    description: { type: DataTypes.TEXT },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  // The same event imported twice is one event.
  await qi.addIndex('tracking_events', ['shipment_id', 'event_time', 'status'], { unique: true, name: 'tracking_events_uq' });

  await qi.createTable('invoices', {
    id,
    carrier_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'carriers', key: 'id' } },
    invoice_number: { type: DataTypes.STRING(64), allowNull: false },
    invoice_date: { type: DataTypes.DATEONLY, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'USD' },
    ...timestamps,
  });
  // A number billed again on another date is a second invoice document (and a duplicate_invoice finding).
  await qi.addIndex('invoices', ['carrier_id', 'invoice_number', 'invoice_date'], { unique: true, name: 'invoices_doc_uq' });
  await qi.addIndex('invoices', ['invoice_number'], { name: 'invoices_number_idx' });
  await qi.addIndex('invoices', ['invoice_date'], { name: 'invoices_date_idx' });

  await qi.createTable('invoice_lines', {
    id,
    invoice_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'invoices', key: 'id' }, onDelete: 'CASCADE' },
    // Identity of a line for idempotent re-import: a hash of its content plus its ordinal among identical lines.
    line_key: { type: DataTypes.STRING(80), allowNull: false },
    // Denormalised from the invoice so the audit and freight_spend read one table.
    carrier_id: { type: DataTypes.INTEGER, allowNull: false },
    invoice_date: { type: DataTypes.DATEONLY, allowNull: false },
    shipment_ref: { type: DataTypes.STRING(64) },
    charge_type: { type: DataTypes.STRING(16), allowNull: false },
    charge_code: { type: DataTypes.STRING(16) },
    billed_weight_kg: { type: DataTypes.DOUBLE },
    amount: money(false),
    currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'USD' },
    ...timestamps,
  });
  await qi.addIndex('invoice_lines', ['line_key'], { unique: true, name: 'invoice_lines_key_uq' });
  await qi.addIndex('invoice_lines', ['invoice_id'], { name: 'invoice_lines_invoice_idx' });
  await qi.addIndex('invoice_lines', ['invoice_date'], { name: 'invoice_lines_date_idx' });
  await qi.addIndex('invoice_lines', ['shipment_ref', 'charge_type'], { name: 'invoice_lines_shipment_idx' });
  await qi.addIndex('invoice_lines', ['carrier_id', 'invoice_date'], { name: 'invoice_lines_carrier_date_idx' });

  await qi.createTable('rates', {
    id,
    // carrier|origin|destination|basis|code|valid_from: the upsert key of a contract row.
    rate_key: { type: DataTypes.STRING(600), allowNull: false },
    carrier_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'carriers', key: 'id' } },
    origin: { type: DataTypes.STRING(200), allowNull: false },
    destination: { type: DataTypes.STRING(200), allowNull: false },
    origin_key: { type: DataTypes.STRING(200), allowNull: false },
    destination_key: { type: DataTypes.STRING(200), allowNull: false },
    rate_basis: { type: DataTypes.STRING(16), allowNull: false },
    // per_kg rates need sub-cent precision (0.104 per kg).
    rate: { type: DataTypes.DECIMAL(14, 4), allowNull: false },
    min_charge: money(),
    fuel_pct: { type: DataTypes.DOUBLE },
    charge_code: { type: DataTypes.STRING(16) },
    valid_from: { type: DataTypes.DATEONLY },
    valid_to: { type: DataTypes.DATEONLY },
    currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'USD' },
    ...timestamps,
  });
  await qi.addIndex('rates', ['rate_key'], { unique: true, name: 'rates_key_uq' });
  await qi.addIndex('rates', ['carrier_id', 'origin_key', 'destination_key', 'valid_from'], { name: 'rates_lane_idx' });
  await qi.addIndex('rates', ['carrier_id', 'charge_code'], { name: 'rates_accessorial_idx' });

  await qi.createTable('audit_findings', {
    id,
    // invoice|rule|shipment|code: re-running the audit updates a finding, never duplicates it.
    finding_key: { type: DataTypes.STRING(300), allowNull: false },
    invoice_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'invoices', key: 'id' }, onDelete: 'CASCADE' },
    invoice_line_id: { type: DataTypes.INTEGER },
    invoice_number: { type: DataTypes.STRING(64), allowNull: false },
    carrier_id: { type: DataTypes.INTEGER, allowNull: false },
    invoice_date: { type: DataTypes.DATEONLY, allowNull: false },
    shipment_ref: { type: DataTypes.STRING(64) },
    rule: { type: DataTypes.STRING(32), allowNull: false },
    charge_code: { type: DataTypes.STRING(16) },
    expected: money(),
    billed: { type: DataTypes.DECIMAL(14, 2), allowNull: false },
    overcharge: money(false),
    rate_id: { type: DataTypes.INTEGER },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open' },
    status_reason: { type: DataTypes.TEXT },
    status_by: { type: DataTypes.STRING(200) },
    status_at: { type: DataTypes.DATE },
    ...timestamps,
  });
  await qi.addIndex('audit_findings', ['finding_key'], { unique: true, name: 'audit_findings_key_uq' });
  await qi.addIndex('audit_findings', ['invoice_id'], { name: 'audit_findings_invoice_idx' });
  await qi.addIndex('audit_findings', ['invoice_date', 'carrier_id'], { name: 'audit_findings_date_carrier_idx' });
  await qi.addIndex('audit_findings', ['status', 'rule'], { name: 'audit_findings_status_rule_idx' });

  await qi.createTable('digest_subscriptions', {
    id,
    report: { type: DataTypes.STRING(32), allowNull: false },
    platform: { type: DataTypes.STRING(16), allowNull: false },
    target: { type: DataTypes.STRING(200), allowNull: false },
    target_name: { type: DataTypes.STRING(200) },
    frequency: { type: DataTypes.STRING(16), allowNull: false },
    day_of_week: { type: DataTypes.STRING(16) },
    day_of_month: { type: DataTypes.INTEGER },
    time: { type: DataTypes.STRING(5), allowNull: false },
    cron: { type: DataTypes.STRING(64), allowNull: false },
    time_zone: { type: DataTypes.STRING(64), allowNull: false },
    filters: { type: DataTypes.TEXT },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    created_by: { type: DataTypes.STRING(200) },
    ...timestamps,
  });
  await qi.addIndex('digest_subscriptions', ['active'], { name: 'digest_subscriptions_active_idx' });

  await qi.createTable('digest_runs', {
    id,
    subscription_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'digest_subscriptions', key: 'id' }, onDelete: 'CASCADE' },
    scheduled_for: { type: DataTypes.DATE, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    runner: { type: DataTypes.STRING(128) },
    posted_at: { type: DataTypes.DATE },
    error: { type: DataTypes.TEXT },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  // One run per subscription and scheduled instant, whichever replica gets there first.
  await qi.addIndex('digest_runs', ['subscription_id', 'scheduled_for'], { unique: true, name: 'digest_runs_uq' });

  await qi.createTable('action_log', {
    id,
    at: { type: DataTypes.DATE, allowNull: false },
    actor: { type: DataTypes.STRING(200), allowNull: false },
    role: { type: DataTypes.STRING(16) },
    platform: { type: DataTypes.STRING(16), allowNull: false },
    channel: { type: DataTypes.STRING(200) },
    action: { type: DataTypes.STRING(64), allowNull: false },
    frame: { type: DataTypes.TEXT },
    result: { type: DataTypes.STRING(16), allowNull: false },
    detail: { type: DataTypes.TEXT },
  });
  await qi.addIndex('action_log', ['at'], { name: 'action_log_at_idx' });
  await qi.addIndex('action_log', ['actor', 'at'], { name: 'action_log_actor_idx' });

  await qi.createTable('processed_events', {
    id,
    event_key: { type: DataTypes.STRING(200), allowNull: false },
    source: { type: DataTypes.STRING(16), allowNull: false },
    received_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('processed_events', ['event_key'], { unique: true, name: 'processed_events_key_uq' });
  await qi.addIndex('processed_events', ['received_at'], { name: 'processed_events_received_idx' });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const t of [
    'processed_events', 'action_log', 'digest_runs', 'digest_subscriptions', 'audit_findings', 'rates',
    'invoice_lines', 'invoices', 'tracking_events', 'shipments', 'order_lines', 'orders', 'carriers', 'customers', 'users',
  ]) {
    await qi.dropTable(t);
  }
}
