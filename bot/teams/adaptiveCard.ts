import type { Button, ChartSpec, Reply, ReplyPart } from '../../domain/conversation/reply';

/**
 * Platform-neutral replies as Adaptive Cards (schema 1.5, what Teams renders). Pure: charts arrive
 * already drawn as data: URLs (or not at all, then they are described in text). Teams refuses a
 * message over about 28 KB, so a reply becomes as many cards as it needs within a byte budget; a
 * table is split by rows with a "rows a–b of n" note, and whatever still does not fit says so.
 */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Bytes of card JSON per message: Teams' ~28 KB limit less room for the activity around the card. */
export const DEFAULT_MAX_CARD_BYTES = 24 * 1024;
/** At most this many messages per reply: past it the rest is summarised in a note, never dropped silently. */
export const DEFAULT_MAX_CARDS = 5;

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  /** A short plain text for clients that cannot render the card (and notifications). */
  fallbackText?: string;
  msteams: { width: 'Full' };
}

export interface CardOptions {
  /** Charts drawn as PNG data: URLs, by chart (object identity); a chart not in it is described in text. */
  chartImages?: Map<ChartSpec, string>;
  maxBytes?: number;
  maxCards?: number;
}

/** What an Action.Submit carries back: the core's ButtonAction, as is. */
export interface SubmitData {
  id: string;
  value: string;
}

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
const FALLBACK_CHARS = 200;

const textBlock = (text: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...extra });

function headingBlock(text: string): CardElement {
  return textBlock(text, { weight: 'Bolder', size: 'Large' });
}

function noteBlock(text: string): CardElement {
  return textBlock(text, { isSubtle: true, size: 'Small' });
}

function buttonsElement(buttons: Button[]): CardElement {
  return {
    type: 'ActionSet',
    actions: buttons.map((b) => ({
      type: 'Action.Submit',
      title: b.label,
      // Teams colours positive/destructive actions; "default" is the plain look.
      style: b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : 'default',
      data: { id: b.action.id, value: b.action.value } satisfies SubmitData,
    })),
  };
}

function tableElement(columns: string[], rows: string[][], align?: Array<'left' | 'right'>): CardElement {
  const row = (cells: string[], header: boolean): CardElement => ({
    type: 'TableRow',
    ...(header ? { style: 'accent' } : {}),
    cells: columns.map((_, i) => ({
      type: 'TableCell',
      items: [textBlock(cells[i] ?? '', header ? { weight: 'Bolder' } : {})],
    })),
  });
  return {
    type: 'Table',
    firstRowAsHeader: true,
    showGridLines: true,
    gridStyle: 'accent',
    columns: columns.map((_, i) => ({ width: 1, horizontalCellContentAlignment: align?.[i] === 'right' ? 'Right' : 'Left' })),
    rows: [row(columns, true), ...rows.map((r) => row(r, false))],
  };
}

function formatValue(v: number, unit: ChartSpec['series'][number]['unit']): string {
  switch (unit) {
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'money':
      return `$${v.toFixed(2)}`;
    case 'days':
      return `${v.toFixed(1)} d`;
    default:
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
  }
}

/** A chart in words, for when no image can be shown: each series' latest value and range. */
export function describeChart(chart: ChartSpec): string[] {
  const lines = [`Chart: ${chart.title}${chart.labels.length ? ` (${chart.labels[0]} to ${chart.labels[chart.labels.length - 1]})` : ''}`];
  for (const s of chart.series) {
    const points = s.values.map((v, i) => ({ v, label: chart.labels[i] ?? '' })).filter((p): p is { v: number; label: string } => p.v !== null);
    if (!points.length) {
      lines.push(`${s.name}: no data`);
      continue;
    }
    const last = points[points.length - 1];
    const values = points.map((p) => p.v);
    lines.push(
      `${s.name}: ${formatValue(last.v, s.unit)} on ${last.label}; lowest ${formatValue(Math.min(...values), s.unit)}, ` +
        `highest ${formatValue(Math.max(...values), s.unit)}`,
    );
  }
  return lines;
}

/**
 * One reply part as card elements. A table is returned as its rows too, so the packer can split it.
 */
type Piece =
  | { kind: 'elements'; elements: CardElement[]; fallback?: CardElement[] }
  | { kind: 'table'; caption?: string; columns: string[]; rows: string[][]; align?: Array<'left' | 'right'> };

function pieceOf(part: ReplyPart, opts: CardOptions): Piece {
  switch (part.kind) {
    case 'heading':
      return { kind: 'elements', elements: [headingBlock(part.text)] };
    case 'text':
      return { kind: 'elements', elements: [textBlock(part.text)] };
    case 'fields':
      return { kind: 'elements', elements: [{ type: 'FactSet', facts: part.fields.map((f) => ({ title: f.label, value: f.value })) }] };
    case 'list':
      return { kind: 'elements', elements: part.items.map((item, i) => textBlock(`• ${item}`, i ? { spacing: 'None' } : {})) };
    case 'buttons':
      return { kind: 'elements', elements: [buttonsElement(part.buttons)] };
    case 'table':
      return { kind: 'table', caption: part.caption, columns: part.columns, rows: part.rows, align: part.align };
    case 'chart': {
      const described = describeChart(part.chart).map((line, i) => textBlock(line, i ? { spacing: 'None', size: 'Small' } : { weight: 'Bolder' }));
      const url = opts.chartImages?.get(part.chart);
      if (!url) return { kind: 'elements', elements: described };
      return {
        kind: 'elements',
        elements: [{ type: 'Image', url, altText: part.chart.title, size: 'Stretch' }],
        // A PNG too big for a message is replaced by its description, with a note.
        fallback: [...described, noteBlock('(The chart image was too large for a Teams message; its figures are above.)')],
      };
    }
  }
}

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

function emptyCard(fallbackText: string): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: SCHEMA, version: '1.5', body: [], fallbackText, msteams: { width: 'Full' } };
}

/** Cuts a text to fit `budget` bytes of JSON, saying how much was left out. */
function truncateText(el: CardElement, budget: number): CardElement {
  const text = String(el.text ?? '');
  let keep = text.length;
  let out = el;
  while (keep > 0 && bytes(out) > budget) {
    keep = Math.floor(keep * 0.8);
    out = { ...el, text: `${text.slice(0, keep)}… (${text.length - keep} more characters not shown)` };
  }
  return out;
}

/** Renders a reply as one or more Adaptive Cards, each within the byte budget. */
export function toAdaptiveCards(reply: Reply, opts: CardOptions = {}): AdaptiveCard[] {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_CARD_BYTES;
  const maxCards = opts.maxCards ?? DEFAULT_MAX_CARDS;
  const fallbackText = reply.text.length > FALLBACK_CHARS ? `${reply.text.slice(0, FALLBACK_CHARS - 1)}…` : reply.text;
  // Room kept free in every card for a closing note ("… not shown").
  const noteRoom = 400;
  const budget = maxBytes - noteRoom;

  const cards: AdaptiveCard[] = [emptyCard(fallbackText)];
  let skipped = 0;
  const current = () => cards[cards.length - 1];
  const fits = (els: CardElement[], card = current()) => bytes({ ...card, body: [...card.body, ...els] }) <= budget;
  /** Puts elements on the current card, or on a new one; false when the reply is out of cards. */
  const place = (els: CardElement[]): boolean => {
    if (fits(els)) {
      current().body.push(...els);
      return true;
    }
    if (current().body.length === 0) return false; // cannot fit even alone: the caller shrinks it
    if (cards.length >= maxCards) return false;
    cards.push(emptyCard(fallbackText));
    if (fits(els)) {
      current().body.push(...els);
      return true;
    }
    return false;
  };
  const alone = (els: CardElement[]) => fits(els, emptyCard(fallbackText));

  for (const part of reply.parts) {
    const piece = pieceOf(part, opts);
    if (cards.length >= maxCards && skipped) {
      skipped += 1;
      continue;
    }
    if (piece.kind === 'elements') {
      let els = piece.elements;
      if (!alone(els) && piece.fallback) els = piece.fallback;
      if (!alone(els)) els = els.map((el) => (el.type === 'TextBlock' ? truncateText(el, Math.floor(budget / els.length) - 600) : el));
      if (!place(els)) skipped += 1;
      continue;
    }
    // A table: whole if it fits, else in chunks of rows, each with its header row and a note.
    const caption = piece.caption ? [textBlock(piece.caption, { weight: 'Bolder' })] : [];
    const whole = [...caption, tableElement(piece.columns, piece.rows, piece.align)];
    if (alone(whole)) {
      if (!place(whole)) skipped += 1;
      continue;
    }
    let start = 0;
    while (start < piece.rows.length) {
      // The most rows from `start` that fit on a card of their own with the note.
      let end = start + 1;
      const chunk = (to: number) => [
        ...(start === 0 ? caption : []),
        noteBlock(`Rows ${start + 1}–${to} of ${piece.rows.length}`),
        tableElement(piece.columns, piece.rows.slice(start, to), piece.align),
      ];
      while (end < piece.rows.length && alone(chunk(end + 1))) end += 1;
      if (!place(chunk(end))) {
        // Out of cards: say which rows are missing (the reserved note room holds this line).
        current().body.push(noteBlock(`Rows ${start + 1}–${piece.rows.length} of ${piece.rows.length} not shown: too many for Teams messages. Narrow the question to see them.`));
        break;
      }
      start = end;
    }
  }
  if (skipped) {
    current().body.push(noteBlock(`${skipped} more part${skipped === 1 ? '' : 's'} of this answer did not fit in Teams messages and are not shown.`));
  }
  return cards.filter((c) => c.body.length);
}

/** The attachment that carries a card in a message activity. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
