import type { Period } from '../dates';
import type { ShipmentFilters } from '../filters';
import type { TrendDay } from './trend';

/** The metrics of data.md, in the order people read them. */
export const METRICS = [
  'shipment_count',
  'order_count',
  'on_time_rate',
  'otif',
  'avg_transit_days',
  'freight_spend',
  'invoice_accuracy',
  'exception_count',
] as const;

export type Metric = (typeof METRICS)[number];

/** Rates are shares 0..1; `null` where there is nothing to divide by. */
export type KpiMetrics = Record<Metric, number | null>;

export interface KpiQuery {
  period: Period;
  filters?: ShipmentFilters;
  /** "Today" for exception_count (defaults to the clock's today). */
  today?: string;
}

export interface KpiResult {
  period: Period;
  metrics: KpiMetrics;
}

export interface KpiComparison {
  current: KpiResult;
  previous: KpiResult;
}

export interface KpiEngine {
  compute(q: KpiQuery): Promise<KpiResult>;
  /** Day by day: shipments shipped and the on-time rate of deliveries (for trend charts). */
  trend(q: Omit<KpiQuery, 'today'>): Promise<TrendDay[]>;
  /** The period and the previous period of equal length, for deltas. */
  compare(q: KpiQuery): Promise<KpiComparison>;
}
