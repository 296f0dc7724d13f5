import type { Metric } from './types';

/** How each metric is computed, in the words of data.md (for "how is on-time computed?"). */
export const METRIC_DEFINITIONS: Record<Metric, string> = {
  shipment_count: 'Shipments with a ship date in the period, not counting cancelled ones.',
  order_count: 'Distinct orders among the shipments whose order date (else ship date) is in the period.',
  on_time_rate:
    'Of the shipments delivered in the period that have a promised date, the share delivered on or before that date. Shown as a percentage with one decimal; n/a when nothing was delivered.',
  otif:
    'On time in full: of the same delivered shipments, the share that arrived on time AND with quantity delivered at least the quantity ordered (no quantities recorded counts as in full).',
  avg_transit_days: 'The mean of delivered date minus ship date, in days, over shipments delivered in the period that have a ship date.',
  freight_spend: 'The sum of invoice line amounts with an invoice date in the period.',
  invoice_accuracy:
    'The share of invoices (by number and carrier) dated in the period that have no audit finding.',
  exception_count:
    'Shipments shipped in the period whose status is exception, plus those not yet delivered whose promised date is before today.',
};
