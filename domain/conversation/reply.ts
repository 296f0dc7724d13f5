/**
 * What the bot says, independent of any platform. Handlers return a Reply; each channel renders it
 * its own way (Block Kit, Adaptive Cards, HTML, plain text). `text` is always a complete plain-text
 * version (notifications, screen readers, the console); `parts` carry the structure.
 */
export type ButtonStyle = 'primary' | 'danger' | 'default';

/** A button press comes back to the core as this action (the value is opaque to channels). */
export interface ButtonAction {
  /** What the button does: confirm, cancel, edit, dispute, accept, more, ... */
  id: string;
  /** Opaque token the core gave out (a pending confirmation, a finding id, a page cursor). */
  value: string;
}

export interface Button {
  label: string;
  action: ButtonAction;
  style?: ButtonStyle;
}

export interface Field {
  label: string;
  value: string;
}

/** A chart as data; channels draw it (SVG in the web chat, PNG for Slack/Teams). */
export interface ChartSeries {
  name: string;
  values: Array<number | null>;
  /** How values read: `percent` values are shares 0..1. */
  unit?: 'percent' | 'count' | 'money' | 'days';
  /** Drawn as a line (default) or bars. */
  type?: 'line' | 'bar';
}

export interface ChartSpec {
  title: string;
  /** One label per point (dates, names). */
  labels: string[];
  series: ChartSeries[];
}

export type ReplyPart =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'fields'; fields: Field[] }
  | { kind: 'table'; columns: string[]; rows: string[][]; caption?: string; align?: Array<'left' | 'right'> }
  | { kind: 'list'; items: string[] }
  | { kind: 'buttons'; buttons: Button[] }
  | { kind: 'chart'; chart: ChartSpec };

export interface Reply {
  /** The whole answer as plain text (never empty). */
  text: string;
  parts: ReplyPart[];
  /** Why the reply was given: a normal answer, a question back, a refusal, an error the person can fix. */
  tone?: 'answer' | 'question' | 'confirm' | 'refusal' | 'error';
}

/** Every button of a reply, in order (for channels that answer buttons by typed label). */
export function buttonsOf(reply: Reply): Button[] {
  return reply.parts.flatMap((p) => (p.kind === 'buttons' ? p.buttons : []));
}

/** Builds a reply whose text is derived from its parts, so the two never drift apart. */
export function reply(parts: ReplyPart[], tone: Reply['tone'] = 'answer'): Reply {
  return { text: plainText(parts), parts, tone };
}

export function textReply(text: string, tone: Reply['tone'] = 'answer'): Reply {
  return { text, parts: [{ kind: 'text', text }], tone };
}

/** A plain-text rendering of parts: the console channel's format and every reply's `text`. */
export function plainText(parts: ReplyPart[]): string {
  const out: string[] = [];
  for (const p of parts) {
    switch (p.kind) {
      case 'heading':
        out.push(p.text);
        break;
      case 'text':
        out.push(p.text);
        break;
      case 'fields':
        out.push(p.fields.map((f) => `${f.label}: ${f.value}`).join('\n'));
        break;
      case 'list':
        out.push(p.items.map((i) => `- ${i}`).join('\n'));
        break;
      case 'table':
        out.push((p.caption ? `${p.caption}\n` : '') + textTable(p.columns, p.rows, p.align));
        break;
      case 'buttons':
        out.push(`[${p.buttons.map((b) => b.label).join('] [')}]`);
        break;
      case 'chart':
        out.push(`(chart: ${p.chart.title})`);
        break;
    }
  }
  return out.join('\n');
}

/** A fixed-width table with a header rule; right-aligned columns where asked. */
export function textTable(columns: string[], rows: string[][], align?: Array<'left' | 'right'>): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (align?.[i] === 'right' ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
