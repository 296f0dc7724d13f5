/**
 * The offline parser: markup undone -> characters normalized -> tokens -> entity mentions ->
 * intent scores -> the entities of the chosen intent, in their normal forms (nlu.md).
 * Deterministic, no I/O, linear-time scanning; junk and oversized input is `unknown` at once.
 */
import { calendarDate } from '../clock';
import { formatDay, parseYmd, type DayRange } from './calendar';
import type { DateMention } from './dates';
import { Analysis, type Mention } from './extract';
import { pickIntent, scoreIntents } from './intent';
import { MAX_INPUT_CHARS, isJunk, toPlainText } from './markup';
import { tokenize } from './tokens';
import { INTENT_ENTITIES, type Entities, type Frame, type Intent, type ParseOptions, type PeriodValue } from './types';

const UNKNOWN = (confidence = 1): Frame => ({ intent: 'unknown', entities: {}, confidence });

const PICKUP_WORDS = new Set(['ship', 'ships', 'shipping', 'shipped', 'pick', 'pickup', 'picked', 'collect', 'collection', 'collected', 'load', 'loading', 'ready', 'depart', 'departs', 'departing', 'leave', 'leaves', 'leaving', 'dispatch', 'dispatched', 'send', 'sending', 'goes', 'go', 'out', 'available', 'tender', 'pu']);
const DELIVERY_WORDS = new Set(['deliver', 'delivery', 'delivered', 'delivering', 'arrive', 'arrives', 'arriving', 'arrival', 'due', 'by', 'eta', 'before', 'drop', 'dropoff', 'there', 'land', 'receive', 'received', 'deadline', 'latest', 'until', 'needed', 'need', 'must', 'rdd']);

function toPeriod(r: DayRange): PeriodValue {
  return { from: formatDay(r.from), to: formatDay(r.to) };
}

/** The period a date mention stands for, read as the past. */
function mentionPeriod(d: DateMention): PeriodValue {
  if (d.range) return toPeriod(d.range);
  const v = d.day!.resolve('past');
  return { from: formatDay(v), to: formatDay(v) };
}

/** pickup or delivery: the nearest trigger word before the date (else right after it). */
function dateRole(a: Analysis, d: DateMention): 'pickup' | 'delivery' {
  const toks = a.toks;
  for (let k = d.s - 1; k >= Math.max(0, d.s - 4); k--) {
    const t = toks[k];
    if (t.k === 'p' && (t.t === ',' || t.t === ';' || t.t === '.')) break;
    const w = t.n;
    if (w === 'by' || w === 'before' || w === 'due' || w === 'eta' || w === 'until') return 'delivery';
    if (DELIVERY_WORDS.has(w) && w !== 'need' && w !== 'needed') return 'delivery';
    if (PICKUP_WORDS.has(w)) return 'pickup';
    if ((w === 'need' || w === 'needed') && a.n(k + 1) === 'by') return 'delivery';
  }
  for (let k = d.e; k < Math.min(toks.length, d.e + 2); k++) {
    if (toks[k].k === 'p') break;
    const w = toks[k].n;
    if (w === 'delivery' || w === 'deliver' || w === 'arrival' || w === 'eta' || w === 'drop' || w === 'dropoff') return 'delivery';
    if (w === 'pickup' || w === 'pick' || w === 'collection' || w === 'loading') return 'pickup';
  }
  // a line or clause that talks about delivery ("deliver to Boston next Friday")
  for (let k = d.s - 1; k >= Math.max(0, d.s - 8); k--) {
    const t = toks[k];
    if (t.k === 'p' && (t.t === ',' || t.t === ';' || t.t === '.')) break;
    const w = t.n;
    if (w === 'deliver' || w === 'delivery' || w === 'arrive' || w === 'arriving' || w === 'due') return 'delivery';
    if (w === 'pickup' || w === 'pick' || w === 'collect' || w === 'ship' || w === 'load') return 'pickup';
  }
  return 'pickup';
}

function first<T>(list: Mention<T>[], before = Infinity): T | undefined {
  for (const m of list) if (m.s < before) return m.value;
  return undefined;
}

function buildEntities(a: Analysis, intent: Intent): Entities {
  const e: Entities = {};
  const ids = (kind: string) => a.ids.find((d) => d.kind === kind)?.value;
  switch (intent) {
    case 'create_order': {
      if (a.customers.length) e.customer = a.customers[0].value;
      if (a.items.length) e.items = a.items.map((m) => m.value);
      if (a.origin) e.origin = a.origin.value;
      if (a.destination) e.destination = a.destination.value;
      for (const d of a.dates) {
        if (!d.day) continue;
        const role = dateRole(a, d);
        const v = formatDay(d.day.resolve('future'));
        if (role === 'pickup' && !e.pickup_date) e.pickup_date = v;
        else if (role === 'delivery' && !e.delivery_date) e.delivery_date = v;
      }
      if (a.weightKg) e.weight_kg = a.weightKg.value;
      if (a.serviceLevel) e.service_level = a.serviceLevel.value;
      const po = ids('po');
      if (po) e.po_number = po;
      if (a.carriers.length) e.carrier = a.carriers[0].value;
      break;
    }
    case 'cancel_order': {
      const ref = a.ids.find((d) => d.kind === 'order' || d.kind === 'po') ?? a.ids.find((d) => d.kind === 'tracking');
      const order = ids('order');
      const po = ids('po');
      if (order) e.order_id = order;
      if (po) e.po_number = po;
      let refEnd = ref?.e;
      if (refEnd === undefined) {
        const k = a.toks.findIndex((t) => t.n === 'order' || t.n === 'booking' || t.n === 'shipment');
        if (k >= 0) refEnd = k + 1;
      }
      if (refEnd !== undefined) {
        a.findReason(refEnd, 'cancel');
        if (a.reasonText) e.reason = a.reasonText;
      }
      break;
    }
    case 'track_shipment': {
      const order = ids('order');
      const po = ids('po');
      const trk = ids('tracking');
      if (order) e.order_id = order;
      if (po) e.po_number = po;
      if (trk) e.tracking_number = trk;
      break;
    }
    case 'list_shipments': {
      const st = first(a.statuses);
      if (st) e.status = st;
      if (a.customers.length) e.customer = a.customers[0].value;
      if (a.carriers.length) e.carrier = a.carriers[0].value;
      if (a.origin) e.origin = a.origin.value;
      if (a.destination) e.destination = a.destination.value;
      if (a.dates.length) e.period = mentionPeriod(a.dates[0]);
      break;
    }
    case 'audit_invoices': {
      const inv = ids('invoice');
      if (inv) e.invoice_number = inv;
      if (a.carriers.length) e.carrier = a.carriers[0].value;
      if (a.customers.length) e.customer = a.customers[0].value;
      if (a.origin) e.origin = a.origin.value;
      if (a.destination) e.destination = a.destination.value;
      if (a.dates.length) e.period = mentionPeriod(a.dates[0]);
      const min = a.amounts.find((x) => x.min) ?? a.amounts.find((x) => x.money);
      if (min) e.min_amount = min.value;
      break;
    }
    case 'flag_invoice': {
      const invM = a.ids.find((d) => d.kind === 'invoice');
      if (invM) e.invoice_number = invM.value;
      let refEnd = invM?.e;
      if (refEnd === undefined) {
        const k = a.toks.findIndex((t) => t.n === 'invoice' || t.n === 'bill');
        if (k >= 0) refEnd = k + 1;
      }
      if (refEnd !== undefined) a.findReason(refEnd, 'flag');
      const reasonStart = a.reasonText ? a.reasonStart : Infinity;
      const carrier = a.carriers.find((c) => c.s < reasonStart);
      if (carrier) e.carrier = carrier.value;
      const amt = a.firstAmount();
      if (amt) e.amount = amt.value;
      if (a.reasonText) e.reason = a.reasonText;
      break;
    }
    case 'kpi_report': {
      const m = pickMetric(a);
      if (m) e.metric = m;
      if (a.dates.length) e.period = mentionPeriod(a.dates[0]);
      if (a.carriers.length) e.carrier = a.carriers[0].value;
      if (a.customers.length) e.customer = a.customers[0].value;
      if (a.origin) e.origin = a.origin.value;
      if (a.destination) e.destination = a.destination.value;
      break;
    }
    case 'schedule_digest': {
      const specific = a.reports.find((r) => r.value !== 'kpi_digest');
      const report = specific ?? a.reports[0];
      if (report) e.report = report.value;
      if (a.channels.length) e.channel = a.channels[0].value;
      let freq = a.frequencies[0];
      for (const f of a.frequencies) if (f.strength > (freq?.strength ?? 0)) freq = f;
      if (freq) e.frequency = freq.value;
      if (e.frequency === 'weekly' || !e.frequency) {
        const dow = freq?.dow ?? (a.weekdays.length ? a.weekdays[0].value : undefined);
        if (dow) {
          e.frequency = 'weekly';
          e.day_of_week = dow;
        }
      }
      if (a.times.length) e.time = a.times[0].value;
      if (a.carriers.length) e.carrier = a.carriers[0].value;
      if (a.customers.length) e.customer = a.customers[0].value;
      break;
    }
    default:
      break;
  }
  return e;
}

/** The metric of a KPI question: the most specific mention wins. */
function pickMetric(a: Analysis): Entities['metric'] {
  if (!a.metrics.length) return undefined;
  const values = a.metrics.map((m) => m.value);
  if (values.includes('otif')) return 'otif';
  // "late shipments" inside "% late" etc. are on-time; "exceptions" only when nothing else is asked
  const specific = a.metrics.find((m) => m.value !== 'exception_count' && m.value !== 'shipment_count');
  if (specific) return specific.value;
  return a.metrics[0].value;
}

// The calendar day of the last instant seen (a batch shares one "now"): Intl formatting is not free.
let lastNow = NaN;
let lastZone = '';
let lastToday = 0;

function todayOf(opts: ParseOptions): number {
  const ms = opts.now.getTime();
  if (ms !== lastNow || opts.timeZone !== lastZone) {
    lastToday = parseYmd(calendarDate(opts.now, opts.timeZone));
    lastNow = ms;
    lastZone = opts.timeZone;
  }
  return lastToday;
}

/** Parses one chat message into a frame. Never throws. */
export function parse(text: string, opts: ParseOptions): Frame {
  try {
    return parseUnsafe(text, opts);
  } catch {
    return UNKNOWN(0.5);
  }
}

function parseUnsafe(text: string, opts: ParseOptions): Frame {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_INPUT_CHARS || isJunk(text)) return UNKNOWN();
  const plain = toPlainText(text);
  if (plain.trim() === '') return UNKNOWN();
  const toks = tokenize(plain);
  if (toks.length === 0 || toks.length > 1200) return UNKNOWN();
  const a = new Analysis(plain, toks, todayOf(opts));
  a.run();
  const { scores } = scoreIntents(a);
  const { intent, confidence } = pickIntent(scores);
  return { intent, entities: entitiesOf(a, intent), confidence };
}

/** Only the entities of the intent, in the contract's order, nothing empty. */
function entitiesOf(a: Analysis, intent: Intent): Entities {
  const entities = buildEntities(a, intent);
  const ordered: Entities = {};
  for (const k of INTENT_ENTITIES[intent]) {
    const v = entities[k];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    (ordered as Record<string, unknown>)[k] = v;
  }
  return ordered;
}

/**
 * The entities a message states for a given intent, whatever intent it would be classified as: how a
 * dialog reads an answer or a correction ("make it 14 pallets", "deliver Friday instead") inside the
 * order it is building. Never throws; junk gives no entities.
 */
export function entitiesAs(text: string, intent: Intent, opts: ParseOptions): Entities {
  try {
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_INPUT_CHARS || isJunk(text)) return {};
    const plain = toPlainText(text);
    const toks = tokenize(plain);
    if (toks.length === 0 || toks.length > 1200) return {};
    const a = new Analysis(plain, toks, todayOf(opts));
    a.run();
    return entitiesOf(a, intent);
  } catch {
    return {};
  }
}

/** Debug view: the analysis behind a frame (used by tests and tuning scripts). */
export function explain(text: string, opts: ParseOptions): { frame: Frame; scores: Record<string, number>; tokens: string[] } {
  const frame = parse(text, opts);
  const plain = toPlainText(text);
  const toks = tokenize(plain);
  const a = new Analysis(plain, toks, todayOf(opts));
  a.run();
  const { scores } = scoreIntents(a);
  return { frame, scores, tokens: toks.map((t) => (t.n !== t.l ? `${t.t}=>${t.n}` : t.t)) };
}
