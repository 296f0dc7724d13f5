import { z } from 'zod';
import {
  DAYS_OF_WEEK,
  FREQUENCIES,
  INTENTS,
  INTENT_ENTITIES,
  METRIC_NAMES,
  REPORTS,
  SERVICE_LEVELS,
  STATUSES,
  UNITS,
  type Entities,
  type EntityKey,
  type Frame,
  type Intent,
  type Item,
  type Unit,
} from './types';
import { wordTable } from './lexicon';

/**
 * The frame as a zod schema: the LLM path validates model output against it, then `normalizeFrame`
 * brings it to the contract's normal forms (nlu.md).
 */
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date in YYYY-MM-DD form');

export const ItemSchema = z.object({
  quantity: z.number().positive(),
  unit: z.enum(UNITS),
  description: z.string().optional(),
  sku: z.string().optional(),
});

export const PeriodSchema = z.object({ from: ymd, to: ymd });

export const EntitiesSchema = z.object({
  order_id: z.string().optional(),
  po_number: z.string().optional(),
  invoice_number: z.string().optional(),
  tracking_number: z.string().optional(),
  customer: z.string().optional(),
  carrier: z.string().optional(),
  origin: z.string().optional(),
  destination: z.string().optional(),
  items: z.array(ItemSchema).optional(),
  weight_kg: z.number().nonnegative().optional(),
  pickup_date: ymd.optional(),
  delivery_date: ymd.optional(),
  service_level: z.enum(SERVICE_LEVELS).optional(),
  status: z.enum(STATUSES).optional(),
  period: PeriodSchema.optional(),
  metric: z.enum(METRIC_NAMES).optional(),
  min_amount: z.number().nonnegative().optional(),
  amount: z.number().nonnegative().optional(),
  reason: z.string().optional(),
  report: z.enum(REPORTS).optional(),
  channel: z.string().optional(),
  frequency: z.enum(FREQUENCIES).optional(),
  day_of_week: z.enum(DAYS_OF_WEEK).optional(),
  time: z.string().regex(/^\d{2}:\d{2}$/, 'a time in HH:MM form').optional(),
});

export const FrameSchema = z.object({
  intent: z.enum(INTENTS),
  entities: EntitiesSchema.default({}),
  confidence: z.number().min(0).max(1).optional(),
});

export type FrameInput = z.input<typeof FrameSchema>;

// ---------------------------------------------------------------------------------------------
// normalizeFrame: tolerant of loosely shaped input (model output), strict in what it returns.

const UNIT_SET = new Set<string>(UNITS);
const UNIT_ALIASES: Record<string, Unit> = wordTable({
  pallets: 'pallet', plt: 'pallet', plts: 'pallet', skid: 'pallet', skids: 'pallet',
  cartons: 'carton', ctn: 'carton', ctns: 'carton', cases: 'case', cs: 'case', boxes: 'box', bx: 'box',
  units: 'unit', pieces: 'piece', pc: 'piece', pcs: 'piece', drums: 'drum', crates: 'crate', bags: 'bag',
  rolls: 'roll', containers: 'container', totes: 'tote',
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cleanString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) v = String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/\s+/g, ' ').trim();
  return s === '' ? undefined : s;
}

function cleanNumber(v: unknown, decimals?: number): number | undefined {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const s = v.replace(/[$,\s]/g, '');
    if (s !== '' && s.length <= 32 && /^-?(\d+(\.\d+)?|\.\d+)$/.test(s)) n = Number(s);
  }
  if (n === undefined || !Number.isFinite(n) || n < 0) return undefined;
  if (decimals !== undefined) {
    const f = 10 ** decimals;
    n = Math.round(n * f) / f;
  }
  return n;
}

function validYmd(v: unknown): string | undefined {
  const s = cleanString(v);
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const [y, m, d] = s.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? s : undefined;
}

function enumValue<T extends string>(v: unknown, values: readonly T[]): T | undefined {
  const s = cleanString(v);
  if (!s) return undefined;
  const k = s.toLowerCase().replace(/[\s-]+/g, '_');
  return (values as readonly string[]).includes(k) ? (k as T) : undefined;
}

/** `ORD-` + id upper case; the prefix is not doubled ("ORD-10042", "order #10042", "10042"). */
function prefixedId(v: unknown, prefix: string, aliases: string[]): string | undefined {
  let s = cleanString(v);
  if (!s) return undefined;
  s = s.toUpperCase().replace(/\s+/g, '');
  for (const a of [prefix, ...aliases].sort((x, y) => y.length - x.length)) {
    if (s.startsWith(a)) {
      const rest = s.slice(a.length).replace(/^[-#:.\s]+/, '');
      if (/^[A-Z0-9]/.test(rest)) {
        s = rest;
        break;
      }
    }
  }
  s = s.replace(/^[#:.-]+/, '');
  return /^[A-Z0-9][A-Z0-9-]*$/.test(s) ? `${prefix}-${s}` : undefined;
}

function normalizeTime(v: unknown): string | undefined {
  const s = cleanString(v);
  if (!s) return undefined;
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

function normalizeItems(v: unknown): Item[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const items: Item[] = [];
  for (const raw of v) {
    if (!isRecord(raw)) continue;
    const quantity = cleanNumber(raw.quantity);
    const u = cleanString(raw.unit)?.toLowerCase();
    const unit = u === undefined ? undefined : UNIT_SET.has(u) ? (u as Unit) : UNIT_ALIASES[u];
    if (quantity === undefined || quantity <= 0 || !unit) continue;
    const item: Item = { quantity, unit };
    const description = cleanString(raw.description);
    if (description) item.description = description;
    const sku = cleanString(raw.sku);
    if (sku) item.sku = sku.toUpperCase();
    items.push(item);
  }
  return items.length ? items : undefined;
}

/** One entity to its normal form, or undefined when it is empty or malformed. */
function normalizeEntity(key: EntityKey, v: unknown): unknown {
  switch (key) {
    case 'order_id':
      return prefixedId(v, 'ORD', ['ORDER', 'ORDNO']);
    case 'po_number':
      return prefixedId(v, 'PO', ['P.O.']);
    case 'invoice_number':
      return prefixedId(v, 'INV', ['INVOICE']);
    case 'tracking_number': {
      const s = cleanString(v);
      return s ? s.toUpperCase().replace(/\s+/g, '') : undefined;
    }
    case 'customer':
    case 'carrier':
    case 'origin':
    case 'destination':
    case 'reason': {
      const s = cleanString(v);
      if (!s) return undefined;
      let end = s.length;
      while (end > 0 && ' ,;:.!?'.includes(s[end - 1])) end--;
      return end > 0 ? s.slice(0, end) : undefined;
    }
    case 'items':
      return normalizeItems(v);
    case 'weight_kg':
      return cleanNumber(v, 1);
    case 'min_amount':
    case 'amount':
      return cleanNumber(v, 2);
    case 'pickup_date':
    case 'delivery_date':
      return validYmd(v);
    case 'service_level':
      return enumValue(v, SERVICE_LEVELS);
    case 'status':
      return enumValue(v, STATUSES);
    case 'metric':
      return enumValue(v, METRIC_NAMES);
    case 'report':
      return enumValue(v, REPORTS);
    case 'frequency':
      return enumValue(v, FREQUENCIES);
    case 'day_of_week':
      return enumValue(v, DAYS_OF_WEEK);
    case 'period': {
      if (!isRecord(v)) return undefined;
      const from = validYmd(v.from);
      const to = validYmd(v.to);
      if (!from || !to || from > to) return undefined;
      return { from, to };
    }
    case 'channel': {
      const s = cleanString(v);
      if (!s) return undefined;
      const name = s.replace(/^#+/, '').toLowerCase();
      if (name === '' || name === 'here' || name === 'this channel' || /\s/.test(name)) return undefined;
      return `#${name}`;
    }
    case 'time':
      return normalizeTime(v);
    default:
      return undefined;
  }
}

/**
 * Enforces the contract on a frame: a known intent (else `unknown`), only the entities of that intent,
 * each in its normal form, empty values omitted, `day_of_week` only with a weekly frequency.
 */
export function normalizeFrame(input: unknown): Frame {
  const rec = isRecord(input) ? input : {};
  const intentRaw = typeof rec.intent === 'string' ? rec.intent.trim().toLowerCase() : '';
  const intent: Intent = (INTENTS as readonly string[]).includes(intentRaw) ? (intentRaw as Intent) : 'unknown';
  const rawEntities = isRecord(rec.entities) ? rec.entities : {};
  const entities: Record<string, unknown> = {};
  for (const key of INTENT_ENTITIES[intent]) {
    if (!(key in rawEntities)) continue;
    const value = normalizeEntity(key, rawEntities[key]);
    if (value !== undefined) entities[key] = value;
  }
  if (entities.day_of_week !== undefined && entities.frequency !== 'weekly') {
    if (entities.frequency === undefined) entities.frequency = 'weekly';
    else delete entities.day_of_week;
  }
  let confidence = typeof rec.confidence === 'number' && Number.isFinite(rec.confidence) ? rec.confidence : 1;
  confidence = Math.min(1, Math.max(0, confidence));
  return { intent, entities: entities as Entities, confidence };
}
