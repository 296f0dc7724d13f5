/**
 * The parse contract (spec/nlu.md): one frame per message, an intent and the entities of that intent.
 */

export const INTENTS = [
  'create_order',
  'cancel_order',
  'track_shipment',
  'list_shipments',
  'audit_invoices',
  'flag_invoice',
  'kpi_report',
  'schedule_digest',
  'help',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

export const UNITS = ['pallet', 'carton', 'case', 'box', 'unit', 'piece', 'drum', 'crate', 'bag', 'roll', 'container', 'tote'] as const;
export type Unit = (typeof UNITS)[number];

export const SERVICE_LEVELS = ['standard', 'expedited'] as const;
export const STATUSES = ['pending', 'in_transit', 'delivered', 'delayed', 'exception'] as const;
export const METRIC_NAMES = [
  'on_time_rate',
  'otif',
  'shipment_count',
  'order_count',
  'freight_spend',
  'invoice_accuracy',
  'avg_transit_days',
  'exception_count',
] as const;
export const REPORTS = ['kpi_digest', 'exceptions', 'invoice_audit'] as const;
export const FREQUENCIES = ['daily', 'weekdays', 'weekly', 'monthly'] as const;
export const DAYS_OF_WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export type ServiceLevel = (typeof SERVICE_LEVELS)[number];
export type Status = (typeof STATUSES)[number];
export type MetricName = (typeof METRIC_NAMES)[number];
export type Report = (typeof REPORTS)[number];
export type Frequency = (typeof FREQUENCIES)[number];
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

export interface Item {
  quantity: number;
  unit: Unit;
  description?: string;
  sku?: string;
}

export interface PeriodValue {
  from: string;
  to: string;
}

export interface Entities {
  order_id?: string;
  po_number?: string;
  invoice_number?: string;
  tracking_number?: string;
  customer?: string;
  carrier?: string;
  origin?: string;
  destination?: string;
  items?: Item[];
  weight_kg?: number;
  pickup_date?: string;
  delivery_date?: string;
  service_level?: ServiceLevel;
  status?: Status;
  period?: PeriodValue;
  metric?: MetricName;
  min_amount?: number;
  amount?: number;
  reason?: string;
  report?: Report;
  channel?: string;
  frequency?: Frequency;
  day_of_week?: DayOfWeek;
  time?: string;
}

export type EntityKey = keyof Entities;

export interface Frame {
  intent: Intent;
  entities: Entities;
  /** How sure the parser is, 0..1 (extra key, ignored by scorers). */
  confidence: number;
}

/** The entities each intent may carry, in the order frames list them. */
export const INTENT_ENTITIES: Record<Intent, readonly EntityKey[]> = {
  create_order: ['customer', 'items', 'origin', 'destination', 'pickup_date', 'delivery_date', 'weight_kg', 'service_level', 'po_number', 'carrier'],
  cancel_order: ['order_id', 'po_number', 'reason'],
  track_shipment: ['order_id', 'po_number', 'tracking_number'],
  list_shipments: ['status', 'customer', 'carrier', 'origin', 'destination', 'period'],
  audit_invoices: ['invoice_number', 'carrier', 'customer', 'origin', 'destination', 'period', 'min_amount'],
  flag_invoice: ['invoice_number', 'carrier', 'amount', 'reason'],
  kpi_report: ['metric', 'period', 'carrier', 'customer', 'origin', 'destination'],
  schedule_digest: ['report', 'channel', 'frequency', 'day_of_week', 'time', 'carrier', 'customer'],
  help: [],
  unknown: [],
};

export interface ParseOptions {
  /** The reference instant for relative dates. */
  now: Date;
  /** The business time zone (IANA name); dates are calendar dates in it. */
  timeZone: string;
}
