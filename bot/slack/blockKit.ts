import type { Button, ChartSpec, ChartSeries, Reply, ReplyPart } from '../../domain/conversation/reply';
import { textTable } from '../../domain/conversation/reply';

/**
 * Platform-neutral replies as Slack Block Kit. Pure: no I/O, so every limit is unit-tested here and
 * the adapter only sends what this returns. Slack rejects a whole message that breaks a limit
 * (invalid_blocks), so each limit is enforced by splitting, never by hoping.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  elementsPerActions: 25,
  buttonText: 75,
  buttonValue: 2000,
  /** The message's notification text; Slack truncates past 40,000, we stay far below. */
  fallbackText: 3000,
} as const;

/** Every action_id we hand out starts with this, so the adapter listens to our buttons only. */
export const ACTION_PREFIX = 'waybill:';

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}
export interface ButtonElement {
  type: 'button';
  text: TextObject;
  action_id: string;
  value: string;
  style?: 'primary' | 'danger';
}
export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'actions'; block_id: string; elements: ButtonElement[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

export interface SlackMessage {
  /** Notification and accessibility text (Slack shows it where blocks cannot be shown). */
  text: string;
  blocks: Block[];
}

/** A file to attach after the message: a table too big for a message, or a chart to draw. */
export type SlackUpload =
  | { kind: 'csv'; filename: string; title: string; content: string }
  | { kind: 'chart'; filename: string; title: string; chart: ChartSpec };

export interface RenderedReply {
  messages: SlackMessage[];
  uploads: SlackUpload[];
}

export interface RenderOptions {
  /** True when a ChartRenderer is available: charts become PNG uploads; otherwise they are described in text. */
  charts: boolean;
}

/** Slack mrkdwn treats these three as control characters; everything else is literal enough. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function mrkdwn(text: string): TextObject {
  return { type: 'mrkdwn', text };
}

/** Cuts at `max`, never inside an `&amp;`-style entity (a half entity would show as garbage). */
function cutPoint(s: string, max: number): number {
  if (s.length <= max) return s.length;
  const amp = s.lastIndexOf('&', max - 1);
  if (amp > max - 6 && amp >= 0) {
    const semi = s.indexOf(';', amp);
    if (semi >= max) return amp || max;
  }
  return max;
}

/** Splits already-escaped text into pieces of at most `max` characters, preferring line breaks. */
export function splitText(s: string, max: number = LIMITS.sectionText): string[] {
  const out: string[] = [];
  let current = '';
  const push = () => {
    if (current) out.push(current);
    current = '';
  };
  for (const line of s.split('\n')) {
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    push();
    let rest = line;
    while (rest.length > max) {
      const at = cutPoint(rest, max);
      out.push(rest.slice(0, at));
      rest = rest.slice(at);
    }
    current = rest;
  }
  push();
  return out.length ? out : [''];
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function textSections(escaped: string): Block[] {
  return splitText(escaped).filter((t) => t.trim()).map((t) => ({ type: 'section', text: mrkdwn(t) }));
}

function fieldsBlocks(fields: Array<{ label: string; value: string }>): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    out.push({
      type: 'section',
      fields: fields.slice(i, i + LIMITS.fieldsPerSection).map((f) =>
        mrkdwn(truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value || ' ')}`, LIMITS.fieldText)),
      ),
    });
  }
  return out;
}

/** RFC 4180: quote a cell when it holds a comma, quote, or line break. */
export function toCsv(columns: string[], rows: string[][]): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return [columns, ...rows].map((r) => r.map((c) => cell(c ?? '')).join(',')).join('\r\n') + '\r\n';
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'table';
}

function formatValue(v: number, unit: ChartSeries['unit']): string {
  switch (unit) {
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'money':
      return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'days':
      return `${v.toFixed(1)} d`;
    default:
      return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2);
  }
}

/** What a chart shows, in words: for people without an image (no renderer, or it failed). */
export function describeChart(chart: ChartSpec): string {
  const lines = [`*${escapeMrkdwn(chart.title)}*`];
  const first = chart.labels[0];
  const last = chart.labels[chart.labels.length - 1];
  if (first !== undefined) lines.push(`${escapeMrkdwn(first)} to ${escapeMrkdwn(last)}, ${chart.labels.length} points`);
  for (const s of chart.series) {
    const points = s.values.map((v, i) => ({ v, label: chart.labels[i] })).filter((p): p is { v: number; label: string } => p.v !== null);
    if (!points.length) {
      lines.push(`• ${escapeMrkdwn(s.name)}: no data`);
      continue;
    }
    const min = points.reduce((a, b) => (b.v < a.v ? b : a));
    const max = points.reduce((a, b) => (b.v > a.v ? b : a));
    const latest = points[points.length - 1];
    lines.push(
      `• ${escapeMrkdwn(s.name)}: latest ${formatValue(latest.v, s.unit)} (${escapeMrkdwn(latest.label ?? '')}), ` +
        `low ${formatValue(min.v, s.unit)} (${escapeMrkdwn(min.label ?? '')}), high ${formatValue(max.v, s.unit)} (${escapeMrkdwn(max.label ?? '')})`,
    );
  }
  return lines.join('\n');
}

interface Counters {
  buttons: number;
  actions: number;
  tables: number;
}

function buttonBlocks(buttons: Button[], n: Counters): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.elementsPerActions) {
    out.push({
      type: 'actions',
      // A stable id per group: after a click the adapter replaces this group (and only this one).
      block_id: `waybill-buttons-${++n.actions}`,
      elements: buttons.slice(i, i + LIMITS.elementsPerActions).map((b) => {
        const el: ButtonElement = {
          type: 'button',
          text: { type: 'plain_text', text: truncate(b.label, LIMITS.buttonText), emoji: true },
          // Unique within the message (Slack requires it); the value carries what the core needs.
          action_id: `${ACTION_PREFIX}${++n.buttons}`,
          value: truncate(JSON.stringify({ id: b.action.id, value: b.action.value }), LIMITS.buttonValue),
        };
        if (b.style === 'primary' || b.style === 'danger') el.style = b.style;
        return el;
      }),
    });
  }
  return out;
}

function partBlocks(part: ReplyPart, opts: RenderOptions, n: Counters, uploads: SlackUpload[]): Block[] {
  switch (part.kind) {
    case 'heading':
      // plain_text: literal, so no escaping; Slack's header limit is 150 characters.
      return [{ type: 'header', text: { type: 'plain_text', text: truncate(part.text, LIMITS.headerText), emoji: true } }];
    case 'text':
      return textSections(escapeMrkdwn(part.text));
    case 'fields':
      return fieldsBlocks(part.fields);
    case 'list':
      return textSections(part.items.map((i) => `• ${escapeMrkdwn(i)}`).join('\n'));
    case 'table': {
      const caption = part.caption ? [`*${escapeMrkdwn(part.caption)}*`] : [];
      const mono = '```\n' + escapeMrkdwn(textTable(part.columns, part.rows, part.align)) + '\n```';
      if (mono.length <= LIMITS.sectionText) return textSections([...caption, mono].join('\n'));
      // Too big for a message: the whole table goes out as a CSV file, and the message says so.
      const filename = `${slug(part.caption ?? 'table')}-${++n.tables}.csv`;
      uploads.push({ kind: 'csv', filename, title: part.caption ?? 'Table', content: toCsv(part.columns, part.rows) });
      const note = `The table has ${part.rows.length.toLocaleString('en-US')} rows and ${part.columns.length} columns, too many for a Slack message: it is attached as ${filename}.`;
      return textSections([...caption, escapeMrkdwn(note)].join('\n'));
    }
    case 'buttons':
      return buttonBlocks(part.buttons, n);
    case 'chart':
      if (opts.charts) {
        uploads.push({ kind: 'chart', filename: `${slug(part.chart.title)}.png`, title: part.chart.title, chart: part.chart });
        return [{ type: 'context', elements: [mrkdwn(`Chart: ${escapeMrkdwn(part.chart.title)} (attached below)`)] }];
      }
      return textSections(describeChart(part.chart));
  }
}

/** One reply as one or more messages (50 blocks each) plus files to attach after them. */
export function renderReply(r: Reply, opts: RenderOptions): RenderedReply {
  const uploads: SlackUpload[] = [];
  const n: Counters = { buttons: 0, actions: 0, tables: 0 };
  let blocks = r.parts.flatMap((p) => partBlocks(p, opts, n, uploads));
  if (!blocks.length) blocks = textSections(escapeMrkdwn(r.text || ' '));
  const fallback = truncate(escapeMrkdwn(r.text || ' '), LIMITS.fallbackText);
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += LIMITS.blocksPerMessage) {
    messages.push({ text: i === 0 ? fallback : '(continued)', blocks: blocks.slice(i, i + LIMITS.blocksPerMessage) });
  }
  return { messages, uploads };
}

/** Reads a button value back (the JSON renderReply put in); undefined for anything else. */
export function parseButtonValue(value: string | undefined): { id: string; value: string } | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as unknown;
    if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' && typeof (v as { value?: unknown }).value === 'string') {
      return { id: (v as { id: string }).id, value: (v as { value: string }).value };
    }
  } catch {
    // not ours
  }
  return undefined;
}

/** Checks a message against Slack's limits; the list of problems (empty when valid). Used by tests and as a last guard. */
export function blockKitProblems(m: SlackMessage): string[] {
  const p: string[] = [];
  if (m.blocks.length > LIMITS.blocksPerMessage) p.push(`${m.blocks.length} blocks (max ${LIMITS.blocksPerMessage})`);
  const actionIds = new Set<string>();
  m.blocks.forEach((b, i) => {
    if (b.type === 'header' && b.text.text.length > LIMITS.headerText) p.push(`block ${i}: header over ${LIMITS.headerText}`);
    if (b.type === 'section') {
      if (!b.text && !b.fields?.length) p.push(`block ${i}: empty section`);
      if (b.text && (b.text.text.length > LIMITS.sectionText || !b.text.text.length)) p.push(`block ${i}: section text length ${b.text.text.length}`);
      if (b.fields && b.fields.length > LIMITS.fieldsPerSection) p.push(`block ${i}: ${b.fields.length} fields`);
      for (const f of b.fields ?? []) if (f.text.length > LIMITS.fieldText) p.push(`block ${i}: field over ${LIMITS.fieldText}`);
    }
    if (b.type === 'actions') {
      if (b.elements.length > LIMITS.elementsPerActions) p.push(`block ${i}: ${b.elements.length} elements`);
      for (const e of b.elements) {
        if (actionIds.has(e.action_id)) p.push(`block ${i}: duplicate action_id ${e.action_id}`);
        actionIds.add(e.action_id);
        if (e.text.text.length > LIMITS.buttonText) p.push(`block ${i}: button text over ${LIMITS.buttonText}`);
        if (e.value.length > LIMITS.buttonValue) p.push(`block ${i}: button value over ${LIMITS.buttonValue}`);
      }
    }
  });
  return p;
}
