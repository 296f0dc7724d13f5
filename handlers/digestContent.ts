import { calendarDate } from '../domain/clock';
import { addDays, daysBetween, type Period } from '../domain/dates';
import { reply, textReply, type Reply, type ReplyPart } from '../domain/conversation/reply';
import { digestPeriod } from '../domain/digests/period';
import { findingSummary, worstOnTime } from '../domain/digests/queries';
import { REPORT_LABELS } from '../domain/digests/schedule';
import { METRIC_LABELS, formatDelta, formatMetric } from '../domain/kpi/format';
import { METRICS, type KpiEngine } from '../domain/kpi/types';
import type { ShipmentRepository, Subscription } from '../domain/repositories';
import type { SqlRunner } from '../domain/sql';
import { amount, day, filtersText, latenessText, plural } from './format';

/** What a digest reads: the KPI engine, the shipments port and set-based SQL for the worst lanes and findings. */
export interface DigestSources {
  kpi: KpiEngine;
  shipments: ShipmentRepository;
  sql: SqlRunner;
}

export type DigestSubject = Pick<Subscription, 'report' | 'frequency' | 'timeZone' | 'filters'>;

const WORST = 5;
const TOP_EXCEPTIONS = 5;
const TOP_FINDINGS = 5;
const TREND_DAYS = 14;

function periodLabel(p: Period): string {
  return p.from === p.to ? day(p.from) : `${day(p.from)} – ${day(p.to)}`;
}

/**
 * The digest a subscription posts for a run at instant `at`: a pure function of the data (through
 * the ports) and the run instant, so every replica and `waybill digest run` build the same post.
 * The calendar is read in the subscription's own time zone.
 */
export async function buildDigest(sub: DigestSubject, at: Date, src: DigestSources): Promise<Reply> {
  const runDate = calendarDate(at, sub.timeZone);
  const period = digestPeriod(sub.frequency, runDate);
  const scope = filtersText(sub.filters);
  const title = `${REPORT_LABELS[sub.report].charAt(0).toUpperCase()}${REPORT_LABELS[sub.report].slice(1)}${scope ? ` ${scope}` : ''}`;
  switch (sub.report) {
    case 'kpi_digest':
      return kpiDigest(sub, period, runDate, title, src);
    case 'exceptions':
      return exceptionsDigest(sub, runDate, title, src);
    case 'invoice_audit':
      return auditDigest(sub, period, title, src);
  }
}

async function kpiDigest(sub: DigestSubject, period: Period, today: string, title: string, src: DigestSources): Promise<Reply> {
  const { current, previous } = await src.kpi.compare({ period, filters: sub.filters, today });
  const m = current.metrics;
  if (!m.shipment_count && !m.order_count && m.on_time_rate === null && !m.exception_count && !m.freight_spend) {
    return textReply(`${title}, ${periodLabel(period)}: nothing to report (no shipments, orders, deliveries or open exceptions).`);
  }
  const [lanes, carriers, trend] = await Promise.all([
    worstOnTime(src.sql, 'lane', period, sub.filters, WORST),
    worstOnTime(src.sql, 'carrier', period, sub.filters, WORST),
    src.kpi.trend({ period: { from: addDays(period.to, -(TREND_DAYS - 1)), to: period.to }, filters: sub.filters }),
  ]);
  const len = daysBetween(period.from, period.to) + 1;
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `${title}, ${periodLabel(period)}` },
    {
      kind: 'table',
      caption: `Against the previous ${len === 1 ? 'day' : `${len} days`} (${periodLabel(previous.period)})`,
      columns: ['Metric', 'Value', 'Previous', 'Change'],
      align: ['left', 'right', 'right', 'right'],
      rows: METRICS.map((k) => [METRIC_LABELS[k], formatMetric(k, m[k]), formatMetric(k, previous.metrics[k]), formatDelta(k, m[k], previous.metrics[k])]),
    },
  ];
  const groupTable = (caption: string, label: string, rows: typeof lanes): ReplyPart => ({
    kind: 'table',
    caption,
    columns: [label, 'On time', 'Late', 'Delivered'],
    align: ['left', 'right', 'right', 'right'],
    rows: rows.map((g) => [g.name, formatMetric('on_time_rate', g.onTimeRate), String(g.late), String(g.delivered)]),
  });
  if (lanes.length) parts.push(groupTable('Worst lanes for on-time delivery', 'Lane', lanes));
  if (carriers.length) parts.push(groupTable('Worst carriers for on-time delivery', 'Carrier', carriers));
  if (!lanes.length && m.on_time_rate !== null) parts.push({ kind: 'text', text: 'Every delivery with a promised date was on time.' });
  parts.push({
    kind: 'chart',
    chart: {
      title: `On-time rate and shipments per day, ${trend[0].date} – ${trend[trend.length - 1].date}`,
      labels: trend.map((d) => d.date.slice(5)),
      series: [
        { name: 'On-time rate', unit: 'percent', type: 'line', values: trend.map((d) => d.onTimeRate) },
        { name: 'Shipments', unit: 'count', type: 'bar', values: trend.map((d) => d.shipments) },
      ],
    },
  });
  return reply(parts);
}

async function exceptionsDigest(sub: DigestSubject, today: string, title: string, src: DigestSources): Promise<Reply> {
  // Exceptions are a state, not a period: what is open at the run, most urgent first.
  const [exceptions, delayed] = await Promise.all([
    src.shipments.list({ status: 'exception', filters: sub.filters, today, offset: 0, limit: TOP_EXCEPTIONS }),
    src.shipments.list({ status: 'delayed', filters: sub.filters, today, offset: 0, limit: 1 }),
  ]);
  if (!exceptions.total && !delayed.total) return textReply(`${title}, ${day(today)}: no open exceptions and no delayed shipments.`);
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `${title}, ${day(today)}` },
    { kind: 'text', text: `${plural(exceptions.total, 'open exception')}, ${plural(delayed.total, 'delayed shipment')}.` },
  ];
  if (exceptions.rows.length) {
    parts.push({
      kind: 'table',
      caption: exceptions.total > exceptions.rows.length ? `The ${exceptions.rows.length} most urgent of ${exceptions.total}` : undefined,
      columns: ['Shipment', 'Customer', 'Carrier', 'Lane', 'Promised', 'Lateness'],
      rows: exceptions.rows.map((s) => [s.shipmentId, s.customer, s.carrier, `${s.origin} → ${s.destination}`, s.promisedDate ?? '—', latenessText(s, today)]),
    });
  }
  return reply(parts);
}

async function auditDigest(sub: DigestSubject, period: Period, title: string, src: DigestSources): Promise<Reply> {
  const f = await findingSummary(src.sql, period, sub.filters, TOP_FINDINGS);
  if (!f.count) return textReply(`${title}, ${periodLabel(period)}: no open audit findings on invoices of the period.`);
  const parts: ReplyPart[] = [
    { kind: 'heading', text: `${title}, ${periodLabel(period)}` },
    { kind: 'fields', fields: [{ label: 'Open findings', value: String(f.count) }, { label: 'Total overcharge', value: amount(f.overcharge) }] },
    {
      kind: 'table',
      caption: f.count > f.top.length ? `The ${f.top.length} largest of ${f.count}` : undefined,
      columns: ['Invoice', 'Carrier', 'Rule', 'Overcharge', 'Status'],
      align: ['left', 'left', 'left', 'right', 'left'],
      rows: f.top.map((t) => [t.invoiceNumber, t.carrier, t.rule, amount(t.overcharge), t.status]),
    },
  ];
  return reply(parts);
}
