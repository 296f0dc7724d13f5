import { DataTypes, Model, type ModelStatic, type Sequelize } from 'sequelize';

/**
 * Sequelize models for row-at-a-time work (lookups, the order dialog, subscriptions, the log).
 * Bulk paths (import, KPIs, audit) use set-based SQL instead. The schema itself is owned by the
 * migrations; these definitions only describe it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = ModelStatic<Model<any, any>>;

export interface Models {
  User: AnyModel;
  Customer: AnyModel;
  Carrier: AnyModel;
  Order: AnyModel;
  OrderLine: AnyModel;
  Shipment: AnyModel;
  TrackingEvent: AnyModel;
  Invoice: AnyModel;
  InvoiceLine: AnyModel;
  Rate: AnyModel;
  AuditFinding: AnyModel;
  DigestSubscription: AnyModel;
  DigestRun: AnyModel;
  ActionLog: AnyModel;
  ProcessedEvent: AnyModel;
  ConversationState: AnyModel;
  InvoiceDispute: AnyModel;
}

const S = (n = 200) => DataTypes.STRING(n);
const MONEY = DataTypes.DECIMAL(14, 2);
const stamped = { underscored: true, timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' } as const;
const unstamped = { underscored: true, timestamps: false } as const;

export function defineModels(sequelize: Sequelize): Models {
  const def = (name: string, tableName: string, attrs: Parameters<Sequelize['define']>[1], opts: object) =>
    sequelize.define(name, attrs, { tableName, ...opts }) as AnyModel;

  const User = def('User', 'users', {
    platform: S(16), external_id: S(128), display_name: S(), role: S(16),
  }, stamped);
  const Customer = def('Customer', 'customers', { name: S(), name_key: S() }, stamped);
  const Carrier = def('Carrier', 'carriers', { name: S(), name_key: S() }, stamped);
  const Order = def('Order', 'orders', {
    id: { type: S(40), primaryKey: true }, customer_id: DataTypes.INTEGER, po_number: S(64), status: S(16),
    order_date: DataTypes.DATEONLY, origin: S(), destination: S(), pickup_date: DataTypes.DATEONLY,
    delivery_date: DataTypes.DATEONLY, service_level: S(16), carrier_id: DataTypes.INTEGER,
    weight_kg: DataTypes.DOUBLE, created_by: S(), cancel_reason: DataTypes.TEXT, request_key: S(),
  }, stamped);
  const OrderLine = def('OrderLine', 'order_lines', {
    order_id: S(40), line_no: DataTypes.INTEGER, quantity: DataTypes.DOUBLE, unit: S(16),
    description: S(400), sku: S(64),
  }, unstamped);
  const Shipment = def('Shipment', 'shipments', {
    shipment_id: S(64), order_id: S(40), po_number: S(64), order_date: DataTypes.DATEONLY,
    kpi_order_date: DataTypes.DATEONLY, customer_id: DataTypes.INTEGER, carrier_id: DataTypes.INTEGER,
    mode: S(16), origin: S(), destination: S(), origin_key: S(), destination_key: S(),
    ship_date: DataTypes.DATEONLY, promised_date: DataTypes.DATEONLY, delivered_date: DataTypes.DATEONLY,
    status: S(16), quantity_ordered: DataTypes.DOUBLE, quantity_delivered: DataTypes.DOUBLE,
    weight_kg: DataTypes.DOUBLE, freight_cost: MONEY, currency: S(3),
  }, stamped);
  const TrackingEvent = def('TrackingEvent', 'tracking_events', {
    shipment_id: DataTypes.INTEGER, event_time: DataTypes.DATE, status: S(16), location: S(),
    description: DataTypes.TEXT, created_at: DataTypes.DATE,
  }, unstamped);
  const Invoice = def('Invoice', 'invoices', {
    carrier_id: DataTypes.INTEGER, invoice_number: S(64), invoice_date: DataTypes.DATEONLY, currency: S(3),
  }, stamped);
  const InvoiceLine = def('InvoiceLine', 'invoice_lines', {
    invoice_id: DataTypes.INTEGER, line_key: S(80), carrier_id: DataTypes.INTEGER, invoice_date: DataTypes.DATEONLY,
    shipment_ref: S(64), charge_type: S(16), charge_code: S(16), billed_weight_kg: DataTypes.DOUBLE,
    amount: MONEY, currency: S(3),
  }, stamped);
  const Rate = def('Rate', 'rates', {
    rate_key: S(600), carrier_id: DataTypes.INTEGER, origin: S(), destination: S(), origin_key: S(),
    destination_key: S(), rate_basis: S(16), rate: DataTypes.DECIMAL(14, 4), min_charge: MONEY, fuel_pct: DataTypes.DOUBLE,
    charge_code: S(16), valid_from: DataTypes.DATEONLY, valid_to: DataTypes.DATEONLY, currency: S(3),
  }, stamped);
  const AuditFinding = def('AuditFinding', 'audit_findings', {
    finding_key: S(300), invoice_id: DataTypes.INTEGER, invoice_line_id: DataTypes.INTEGER,
    invoice_number: S(64), carrier_id: DataTypes.INTEGER, invoice_date: DataTypes.DATEONLY,
    shipment_ref: S(64), rule: S(32), charge_code: S(16), expected: MONEY, billed: MONEY, overcharge: MONEY,
    rate_id: DataTypes.INTEGER, status: S(16), status_reason: DataTypes.TEXT, status_by: S(),
    status_at: DataTypes.DATE,
  }, stamped);
  const DigestSubscription = def('DigestSubscription', 'digest_subscriptions', {
    report: S(32), platform: S(16), target: S(), target_name: S(), frequency: S(16), day_of_week: S(16),
    day_of_month: DataTypes.INTEGER, time: S(5), cron: S(64), time_zone: S(64), filters: DataTypes.TEXT,
    active: DataTypes.BOOLEAN, created_by: S(), request_key: S(),
  }, stamped);
  const DigestRun = def('DigestRun', 'digest_runs', {
    subscription_id: DataTypes.INTEGER, scheduled_for: DataTypes.DATE, status: S(16), runner: S(128),
    posted_at: DataTypes.DATE, error: DataTypes.TEXT, created_at: DataTypes.DATE,
  }, unstamped);
  const ActionLog = def('ActionLog', 'action_log', {
    at: DataTypes.DATE, actor: S(), role: S(16), platform: S(16), channel: S(), action: S(64),
    frame: DataTypes.TEXT, result: S(16), detail: DataTypes.TEXT,
  }, unstamped);
  const ProcessedEvent = def('ProcessedEvent', 'processed_events', {
    event_key: S(), source: S(16), received_at: DataTypes.DATE,
  }, unstamped);
  const ConversationState = def('ConversationState', 'conversation_states', {
    key: S(300), state: DataTypes.TEXT, expires_at: DataTypes.DATE, updated_at: DataTypes.DATE,
  }, unstamped);
  const InvoiceDispute = def('InvoiceDispute', 'invoice_disputes', {
    request_key: S(), invoice_id: DataTypes.INTEGER, amount: MONEY, reason: DataTypes.TEXT, status: S(16),
    created_by: S(), created_at: DataTypes.DATE,
  }, unstamped);

  return {
    User, Customer, Carrier, Order, OrderLine, Shipment, TrackingEvent, Invoice, InvoiceLine, Rate,
    AuditFinding, DigestSubscription, DigestRun, ActionLog, ProcessedEvent, ConversationState, InvoiceDispute,
  };
}
