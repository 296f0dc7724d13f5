import { addDays, daysBetween } from '../domain/dates';
import { reply, type ReplyPart } from '../domain/conversation/reply';
import { METRIC_DEFINITIONS } from '../domain/kpi/definitions';
import { METRIC_LABELS, formatDelta, formatMetric } from '../domain/kpi/format';
import { METRICS, type Metric } from '../domain/kpi/types';
import type { Frame } from '../domain/nlu/types';
import type { ShipmentFilters } from '../domain/filters';
import type { HandlerResult, Turn } from './context';
import { filtersText, periodText } from './format';
import { resolveFilters } from './names';

/** "how is on-time computed?", "what does OTIF mean": a question about a definition, not figures. */
export function asksDefinition(text: string): boolean {
  return /\b(how (is|are|do you|does|'?s)\b.*\b(comput|calculat|measur|defin|work|count)|what (is|does|'?s)\b.*\b(mean|definition)|defin(e|ition)|formula)/i.test(text) ||
    /\bhow\b.*\b(computed|calculated|measured|defined)\b/i.test(text);
}

/** The chart under a KPI answer: the period day by day, or the 14 days up to a single day asked about. */
async function trendChart(period: { from: string; to: string }, filters: ShipmentFilters, turn: Turn): Promise<ReplyPart> {
  const len = daysBetween(period.from, period.to) + 1;
  const span = len >= 7 && len <= 92 ? period : { from: addDays(period.to, -13), to: period.to };
  const days = await turn.deps.kpi.trend({ period: span, filters });
  return {
    kind: 'chart',
    chart: {
      title: `On-time rate and shipments per day, ${span.from} – ${span.to}`,
      labels: days.map((d) => d.date.slice(5)),
      series: [
        { name: 'On-time rate', unit: 'percent', type: 'line', values: days.map((d) => d.onTimeRate) },
        { name: 'Shipments', unit: 'count', type: 'bar', values: days.map((d) => d.shipments) },
      ],
    },
  };
}

export async function kpiReport(frame: Frame, turn: Turn, text = ''): Promise<HandlerResult> {
  const e = frame.entities;
  const metric = e.metric as Metric | undefined;
  if (metric && asksDefinition(text)) {
    return {
      replies: [reply([{ kind: 'heading', text: `${METRIC_LABELS[metric]}: how it is computed` }, { kind: 'text', text: METRIC_DEFINITIONS[metric] }])],
      log: { action: 'kpi_definition', result: 'ok', frame },
    };
  }
  const { filters, problem } = await resolveFilters({ customer: e.customer, carrier: e.carrier, origin: e.origin, destination: e.destination }, turn);
  if (problem) return { replies: [problem] };
  const yesterday = addDays(turn.today, -1);
  const period = e.period ?? { from: yesterday, to: yesterday };
  const { current, previous } = await turn.deps.kpi.compare({ period, filters });
  const scope = filtersText(filters);
  const when = periodText(period, turn.today);
  const prevWhen = `${previous.period.from} – ${previous.period.to}`;
  const parts: ReplyPart[] = [];
  if (metric) {
    const v = current.metrics[metric];
    parts.push({ kind: 'heading', text: `${METRIC_LABELS[metric]} ${when}${scope ? ` ${scope}` : ''}: ${formatMetric(metric, v)}` });
    parts.push({
      kind: 'fields',
      fields: [
        { label: 'This period', value: formatMetric(metric, v) },
        { label: `Previous (${prevWhen})`, value: formatMetric(metric, previous.metrics[metric]) },
        { label: 'Change', value: formatDelta(metric, v, previous.metrics[metric]) },
      ],
    });
    if (v === null) parts.push({ kind: 'text', text: 'n/a: nothing in the period to compute it from.' });
  } else {
    parts.push({ kind: 'heading', text: `KPIs ${when}${scope ? ` ${scope}` : ''}` });
  }
  const days = daysBetween(period.from, period.to) + 1;
  const order = metric ? [metric, ...METRICS.filter((m) => m !== metric)] : [...METRICS];
  parts.push({
    kind: 'table',
    caption: `Against the previous ${days === 1 ? 'day' : `${days} days`} (${prevWhen})`,
    columns: ['Metric', 'Value', 'Previous', 'Change'],
    align: ['left', 'right', 'right', 'right'],
    rows: order.map((m) => [METRIC_LABELS[m], formatMetric(m, current.metrics[m]), formatMetric(m, previous.metrics[m]), formatDelta(m, current.metrics[m], previous.metrics[m])]),
  });
  parts.push(await trendChart(period, filters, turn));
  parts.push({ kind: 'text', text: 'Ask "how is on-time computed?" for any definition.' });
  return { replies: [reply(parts)], log: { action: 'kpi_report', result: 'ok', frame: { ...frame, entities: { ...e, period } } } };
}
