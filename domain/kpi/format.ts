import type { Metric } from './types';

export const METRIC_LABELS: Record<Metric, string> = {
  shipment_count: 'Shipments',
  order_count: 'Orders',
  on_time_rate: 'On-time rate',
  otif: 'OTIF',
  avg_transit_days: 'Avg transit (days)',
  freight_spend: 'Freight spend',
  invoice_accuracy: 'Invoice accuracy',
  exception_count: 'Exceptions',
};

const RATES: ReadonlySet<Metric> = new Set(['on_time_rate', 'otif', 'invoice_accuracy']);

export function isRate(metric: Metric): boolean {
  return RATES.has(metric);
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A metric as people read it: rates as percentages with one decimal (data.md), "n/a" for null. */
export function formatMetric(metric: Metric, value: number | null): string {
  if (value === null || value === undefined) return 'n/a';
  if (isRate(metric)) return `${(value * 100).toFixed(1)}%`;
  if (metric === 'freight_spend') return money.format(value);
  if (metric === 'avg_transit_days') return value.toFixed(1);
  return count.format(value);
}

/** The change from previous to current: percentage points for rates, relative % for amounts. */
export function formatDelta(metric: Metric, current: number | null, previous: number | null): string {
  if (current === null || previous === null) return 'n/a';
  if (isRate(metric)) {
    const pp = (current - previous) * 100;
    return `${pp >= 0 ? '+' : ''}${pp.toFixed(1)} pp`;
  }
  if (metric === 'avg_transit_days') {
    const d = current - previous;
    return `${d >= 0 ? '+' : ''}${d.toFixed(1)} d`;
  }
  if (previous === 0) return current === 0 ? '0%' : 'new';
  const pct = ((current - previous) / Math.abs(previous)) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}
