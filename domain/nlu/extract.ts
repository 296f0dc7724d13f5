/**
 * Entity extractors over tokens. Each extractor scans left to right and marks the tokens it takes
 * as used, so later extractors (names, places) never read an id, a date or a quantity as a name.
 * Mentions are intent-neutral; parser.ts picks and interprets them once the intent is known.
 */
import { DateScanner, type DateMention } from './dates';
import {
  CARRIERS,
  CARRIER_CAPITAL_ONLY,
  CARRIER_SUFFIXES,
  COMMON,
  COMPANY_SUFFIXES,
  MONTHS,
  NUMBER_WORDS,
  PLACE_WORDS,
  REGION_CODES,
  REGION_NAMES,
  UNIT_WORDS,
  WEEKDAYS,
} from './lexicon';
import { METRIC_WORDS, REPORT_WORDS, STATUS_WORDS } from './cues';
import type { Token } from './tokens';
import type { DayOfWeek, Frequency, Item, MetricName, Report, ServiceLevel, Status } from './types';

export interface Mention<T> {
  s: number;
  e: number;
  value: T;
}

export type IdKind = 'order' | 'po' | 'invoice' | 'tracking';

export interface IdMention extends Mention<string> {
  kind: IdKind;
  /** Introduced by its keyword ("order 10042") or self-describing ("ORD-10042"), not a guess. */
  strong: boolean;
}

export interface AmountMention extends Mention<number> {
  min: boolean;
  money: boolean;
}

export interface FrequencyMention extends Mention<Frequency> {
  /** 2: "every ..." / "on weekdays"; 1: an adjective ("daily digest"). */
  strength: number;
  dow?: DayOfWeek;
}

const DOW_NAMES: DayOfWeek[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Words that end a name or a place (and never start one). */
export const HARD_STOP = new Set(
  `for with via by on at in to from of and or but into onto than then this that these those next last past since until till
  before after between the a an my our your their his her its me us you them it we i they he she please asap urgent rush
  urgently pickup pick deliver delivery delivered ship shipped shipping send sent today tomorrow yesterday tonight shipments
  shipment orders order invoices invoice due eta no not is are was were be been has have had will would should can could do
  does did every each daily weekly monthly any all some what which who where when how why as so if per around about
  weighing weight total plus also too just only need needs needed within over under above below more less ready arriving
  arrive arrives going headed heading bound leaving departing picked dropping drop using thanks thank thx ok okay now
  asap hot priority express expedited expedite standard same sku skus po ref reference ltl ftl using pls plz is 's
  status late delayed stuck damaged transit pending exception exceptions please kindly quickly
  cancel flag dispute audit check track book create schedule post report digest kpi kpis summary
  lbs kg kgs lb tons tonnes pounds kilos kilograms pallets pallet cartons carton via starting
  mon tue wed thu fri sat sun asap eod eow eom week month year quarter morning evening afternoon night noon midnight`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

/** Nouns before which a capitalised name is a customer ("Globex shipments"). */
const ENTITY_NOUNS = new Set(['shipments', 'shipment', 'orders', 'order', 'loads', 'load', 'deliveries', 'freight', 'invoices', 'invoice', 'account', 'bills', 'containers', 'volume', 'volumes', 'lanes', 'business', 'stuff', 'goods', 'cargo', 'traffic', 'spend', 'kpis', 'kpi', 'numbers', 'performance', 'on', 'digest', 'report', 'exceptions', 'summary', 'metrics', 'stats', 'otif', 'spend', 'stuff', 'pos', 'deliveries', 'containers']);

const FILLER = new Set(['please', 'pls', 'plz', 'thanks', 'thank', 'you', 'thx', 'ty', 'asap', 'now', 'today', 'right', 'away', 'immediately', 'cheers', 'kindly', 'again', 'too', 'ok', 'okay', 'mate', 'team', 'folks', 'guys', 'all']);

interface CarrierKey {
  name: string;
  capitalOnly: boolean;
}
const CARRIER_KEYS = new Map<string, CarrierKey>();
for (const c of CARRIERS) {
  const key = c.toLowerCase().replace(/[\s.\-]+/g, '');
  CARRIER_KEYS.set(key, { name: c, capitalOnly: CARRIER_CAPITAL_ONLY.has(c.toLowerCase()) });
}
const MAX_CARRIER_KEY = Math.max(...[...CARRIER_KEYS.keys()].map((k) => k.length));
/** Every prefix of a carrier key: the lexicon scan stops as soon as the text leaves them. */
const CARRIER_PREFIXES = new Set<string>();
for (const k of CARRIER_KEYS.keys()) for (let n = 1; n <= k.length; n++) CARRIER_PREFIXES.add(k.slice(0, n));

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Ids that say what they are: ORD-10042, PO55121, INV-2291, 1Z..., MSCU1234567, SHP-000123. */
function selfId(l: string, raw: string): { kind: IdKind; value: string; strong: boolean } | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^ord(?:er)?[-#]?([a-z0-9][a-z0-9-]*)$/.exec(l)) && hasDigit(m[1])) return { kind: 'order', value: m[1], strong: true };
  if ((m = /^po[-#]?(\d[a-z0-9-]*)$/.exec(l))) return { kind: 'po', value: m[1], strong: true };
  if ((m = /^inv[-#]?([a-z0-9][a-z0-9-]*)$/.exec(l)) && hasDigit(m[1])) return { kind: 'invoice', value: m[1], strong: true };
  if (/^1z[0-9a-z]{16}$/.test(l)) return { kind: 'tracking', value: raw, strong: true };
  if (/^[a-z]{3}[ujz]\d{7}$/.test(l)) return { kind: 'tracking', value: raw, strong: true };
  if (/^(shp|shpt|trk|awb|bol|bl|pro|ship|sh|ld|load|cn|con|mbl|hbl|hawb|mawb)-?\d[a-z0-9-]{2,}$/.test(l)) return { kind: 'tracking', value: raw, strong: true };
  return undefined;
}

const TRIM_END = new Set([' ', ',', ';', ':', '.', '!', '?', '"', "'", ')', ']', '-']);
const TRIM_START = new Set([' ', '"', "'", '(', '[', '-']);

/** White space collapsed; trailing punctuation and stray brackets/quotes dropped (a linear scan). */
function trimValue(s: string): string {
  const t = s.replace(/\s+/g, ' ');
  let a = 0;
  let b = t.length;
  while (b > a && TRIM_END.has(t[b - 1])) b--;
  while (a < b && TRIM_START.has(t[a])) a++;
  return t.slice(a, b);
}

/** Parses a number as typed: 12, 2,000, 120.50, 1.2k, 3.5m. */
export function parseNumber(s: string): number | undefined {
  let t = s.toLowerCase().replace(/,/g, '');
  let mult = 1;
  const last = t.charAt(t.length - 1);
  if (last === 'k') {
    mult = 1000;
    t = t.slice(0, -1);
  } else if (last === 'm' && t.length > 1 && /\d$/.test(t.slice(0, -1))) {
    mult = 1_000_000;
    t = t.slice(0, -1);
  }
  if (!/^\d+(\.\d+)?$/.test(t) && !/^\.\d+$/.test(t)) return undefined;
  const v = Number(t) * mult;
  return Number.isFinite(v) ? v : undefined;
}

export class Analysis {
  readonly used: Uint8Array;
  /** Tokens inside a reason (after an invoice/order reference and its separator). */
  reasonStart = -1;
  reasonEnd = -1;
  reasonText?: string;

  ids: IdMention[] = [];
  skus: Mention<string>[] = [];
  items: Mention<Item>[] = [];
  weightKg?: Mention<number>;
  amounts: AmountMention[] = [];
  times: Mention<string>[] = [];
  channels: Mention<string>[] = [];
  dates: DateMention[] = [];
  carriers: (Mention<string> & { lex: boolean })[] = [];
  customers: Mention<string>[] = [];
  origin?: Mention<string>;
  destination?: Mention<string>;
  statuses: Mention<Status>[] = [];
  metrics: Mention<MetricName>[] = [];
  reports: Mention<Report>[] = [];
  frequencies: FrequencyMention[] = [];
  weekdays: Mention<DayOfWeek>[] = [];
  serviceLevel?: Mention<ServiceLevel>;
  /** "here", "this channel": the schedule posts where it was asked. */
  channelHere = false;
  /** Day-trigger words for pickup/delivery found before each date (index -> kind). */
  readonly scanner: DateScanner;

  constructor(
    readonly text: string,
    readonly toks: Token[],
    today: number,
  ) {
    this.used = new Uint8Array(toks.length);
    this.scanner = new DateScanner(toks, today);
  }

  n(i: number): string {
    return this.toks[i]?.n ?? '';
  }

  private mark(s: number, e: number): void {
    for (let i = s; i < e && i < this.used.length; i++) this.used[i] = 1;
  }

  /** The text of tokens [s, e) as written. */
  slice(s: number, e: number): string {
    if (e <= s) return '';
    return this.text.slice(this.toks[s].s, this.toks[e - 1].e);
  }

  run(): void {
    this.extractChannels();
    this.extractIds();
    this.extractAmounts();
    this.extractWeights();
    this.extractItems();
    this.extractFrequencies();
    this.extractTimes();
    this.dates = this.scanner.scan(this.used);
    for (const d of this.dates) this.mark(d.s, d.e);
    this.extractCarriers();
    this.extractPlacesAndCustomers();
    this.extractWords();
  }

  // --- channels ------------------------------------------------------------------------------

  private extractChannels(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.t === '#' && i + 1 < toks.length && !toks[i + 1].sp) {
        const first = this.text.charCodeAt(toks[i + 1].s);
        const isLetter = (first >= 97 && first <= 122) || (first >= 65 && first <= 90);
        // "PO#55121", "order #10042": a number, not a channel.
        if (!isLetter) continue;
        if (i > 0 && !t.sp && toks[i - 1].k !== 'p') continue;
        let j = toks[i + 1].s;
        const text = this.text;
        while (j < text.length) {
          const c = text.charCodeAt(j);
          if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || (c === 46 && j + 1 < text.length && /[a-z0-9]/i.test(text[j + 1]))) j++;
          else break;
        }
        const name = text.slice(toks[i + 1].s, j).toLowerCase();
        let e = i + 1;
        while (e < toks.length && toks[e].s < j) e++;
        this.channels.push({ s: i, e, value: '#' + name });
        this.mark(i, e);
        i = e - 1;
        continue;
      }
      // "the ops-reports channel" / "channel ops"
      if (t.n === 'channel' && !this.used[i]) {
        if (['this', 'the', 'here', 'that', 'same', 'our', 'my', 'a', 'current', 'slack', 'teams', 'your'].includes(this.n(i - 1)) && !this.isChannelName(i - 1)) {
          if (['this', 'here', 'same', 'current', 'that'].includes(this.n(i - 1))) this.channelHere = true;
          continue;
        }
        // name before: "ops-reports channel"
        let s = i;
        while (s > 0 && this.isChannelName(s - 1) && (s === i || !toks[s].sp)) s--;
        if (s < i) {
          const name = this.text.slice(toks[s].s, toks[i - 1].e).toLowerCase().replace(/\s+/g, '-');
          if (!/\s/.test(name) && name.length > 0 && !COMMON.has(name)) {
            this.channels.push({ s, e: i + 1, value: '#' + name });
            this.mark(s, i + 1);
            continue;
          }
        }
        // name after: "channel ops-reports", "channel: finance"
        let k = i + 1;
        if (toks[k]?.t === ':') k++;
        if (toks[k] && toks[k].k === 'w' && !HARD_STOP.has(toks[k].n) && !COMMON.has(toks[k].n)) {
          let e = k + 1;
          while (e < toks.length && !toks[e].sp && (toks[e].k !== 'p' || toks[e].t === '-' || toks[e].t === '_')) e++;
          const name = this.text.slice(toks[k].s, toks[e - 1].e).toLowerCase();
          this.channels.push({ s: i, e, value: '#' + name });
          this.mark(i, e);
        }
      }
      if ((t.n === 'here' || (t.n === 'this' && this.n(i + 1) === 'chat')) && ['post', 'send', 'it', 'here', 'in', 'to', 'summary', 'report', 'digest'].some((w) => w === this.n(i - 1) || w === this.n(i - 2))) {
        this.channelHere = true;
      }
    }
  }

  private isChannelName(i: number): boolean {
    const t = this.toks[i];
    if (!t || this.used[i] || t.k !== 'w') return false;
    // hyphenated parts are glued (no space between them)
    const glued = (i + 1 < this.toks.length && !this.toks[i + 1].sp && this.toks[i + 1].k === 'w') || (i > 0 && !t.sp && this.toks[i - 1].k === 'w');
    if (glued) return true;
    return !HARD_STOP.has(t.n) && !COMMON.has(t.n) && t.n !== 'channel';
  }

  // --- ids -----------------------------------------------------------------------------------

  /** An id value token: has a digit, letters/digits/hyphens only, not a quantity. */
  private idValue(i: number): string | undefined {
    const t = this.toks[i];
    if (!t || this.used[i]) return undefined;
    if (t.k !== 'n' && t.k !== 'w') return undefined;
    const l = t.l;
    if (!hasDigit(l) || !/^[a-z0-9][a-z0-9_-]*$/.test(l)) return undefined;
    if (/^\d+(st|nd|rd|th|am|pm|k|lbs?|kgs?|ft|t|x|pcs|plts?|ctns?|hrs?|days?|wks?)$/.test(l)) return undefined;
    if (/^q[1-4]$/.test(l) || /^(19|20)\d\d$/.test(l) && this.isPluralIdKeyword(i - 1)) return undefined;
    // after a plural keyword ("invoices Q4", "orders 3") only something that looks like an id
    if (this.isPluralIdKeyword(i - 1) && !/\d{3}/.test(l)) return undefined;
    // followed by a unit or a weight: a quantity, not an id
    const next = this.toks[i + 1];
    if (next && next.k === 'w' && (UNIT_WORDS[next.l] !== undefined || UNIT_WORDS[next.n] !== undefined || /^(lbs?|kgs?|kilos?|pounds?|tons?|tonnes?|days?|weeks?|hours?|dollars?|usd|bucks|percent|%)$/.test(next.n))) return undefined;
    if (next && next.t === '%') return undefined;
    return t.t;
  }

  private isPluralIdKeyword(i: number): boolean {
    const w = this.n(i);
    return w === 'invoices' || w === 'orders' || w === 'shipments' || w === 'loads' || w === 'containers';
  }

  /** Skips "#", "no.", "number", "num", ":", "nr" between an id keyword and its value. */
  private afterIdKeyword(i: number): number {
    let j = i;
    for (let k = 0; k < 3; k++) {
      const t = this.toks[j];
      if (!t) break;
      if (t.t === '#' || t.t === ':' || t.t === '-' || t.t === '.' || t.n === 'number' || t.n === 'num' || t.n === 'no' || t.n === 'nr' || t.n === 'id' || t.n === 'ref' || t.n === '#:') {
        if ((t.n === 'no' || t.n === 'number') && this.idValue(j + 1) === undefined && this.toks[j + 1]?.t !== '.' && this.toks[j + 1]?.t !== '#') break;
        j++;
        continue;
      }
      break;
    }
    return j;
  }

  private addId(kind: IdKind, s: number, e: number, raw: string, strong = true): void {
    let v = raw.toUpperCase().replace(/\s+/g, '');
    if (kind === 'order') v = 'ORD-' + v.replace(/^ORD(ER)?[-#:]?(?=[A-Z0-9])/, '');
    if (kind === 'po') v = 'PO-' + v.replace(/^P\.?O\.?[-#:]?(?=[A-Z0-9])/, '');
    if (kind === 'invoice') v = 'INV-' + v.replace(/^INV(OICE)?[-#:]?(?=[A-Z0-9])/, '');
    v = v.replace(/^(ORD|PO|INV)--/, '$1-');
    this.ids.push({ s, e, value: v, kind, strong });
    this.mark(s, e);
  }

  private extractIds(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      if (t.k === 'p') continue;
      const l = t.l;
      // Self-describing single tokens (also the last segments of a pasted URL).
      if (t.k === 'w' && hasDigit(l)) {
        const hit = selfId(l, t.t);
        if (hit) {
          this.addId(hit.kind, i, i + 1, hit.value, hit.strong);
          continue;
        }
        if (l.indexOf('/') > 0) {
          const segs = t.t.split(/[/=?&#]/);
          let found: { kind: IdKind; value: string; strong: boolean } | undefined;
          for (let k = segs.length - 1; k >= 0 && !found; k--) if (segs[k]) found = selfId(segs[k].toLowerCase(), segs[k]);
          if (found) {
            this.addId(found.kind, i, i + 1, found.value, found.strong);
            continue;
          }
        }
      }
      // container: MSCU 1234567
      if (t.k === 'w' && /^[a-z]{3}[ujz]$/.test(l) && (t.up || this.n(i - 1) === 'container') && toks[i + 1] && /^\d{6,7}(-?\d)?$/.test(toks[i + 1].l)) {
        this.addId('tracking', i, i + 2, t.t + toks[i + 1].t);
        continue;
      }
      // keyword + value
      const kw = this.idKeyword(i);
      if (kw) {
        const j = this.afterIdKeyword(kw.e);
        const v = this.idValue(j);
        if (v !== undefined) {
          // "PO 88120" / "invoice 2026-0042" / "order ORD-10042"
          this.addId(kw.kind, i, j + 1, v);
          // "orders 10042 and 10043": the first one is the reference
          i = j;
          continue;
        }
        // container MSCU 1234567 after the keyword
        if (kw.kind === 'tracking' && toks[j] && toks[j].k === 'w' && /^[a-z]{4}$/.test(toks[j].l) && toks[j + 1] && /^\d{6,7}$/.test(toks[j + 1].l)) {
          this.addId('tracking', i, j + 2, toks[j].t + toks[j + 1].t);
          i = j + 1;
          continue;
        }
        // tracking numbers typed in groups: "tracking 9400 1000 0000 0000"
        if (kw.kind === 'tracking' && toks[j]?.k === 'n' && isDigits(toks[j].l)) {
          let e = j;
          let raw = '';
          while (e < toks.length && toks[e].k === 'n' && isDigits(toks[e].l) && e - j < 8) {
            raw += toks[e].t;
            e++;
          }
          if (raw.length >= 6) {
            this.addId('tracking', i, e, raw);
            i = e - 1;
            continue;
          }
        }
      }
      // "flag 4410 invoice": a number right before the word invoice
      if (t.k === 'n' && isDigits(l) && l.length >= 3 && this.n(i + 1) === 'invoice' && !/^(19|20)\d\d$/.test(l) && !this.used[i + 1]) {
        this.addId('invoice', i, i + 2, t.t);
        i++;
        continue;
      }
      // long bare numbers and carrier-style codes (FedEx 12-15 digits, USPS 20-22)
      if (t.k === 'n' && isDigits(l) && l.length >= 10 && l.length <= 30) {
        this.addId('tracking', i, i + 1, t.t, false);
        continue;
      }
      const glued = /^\d+([a-z]+)$/.exec(l);
      if (t.k === 'w' && l.length >= 9 && hasDigit(l) && /^[a-z0-9]+$/.test(l) && /[a-z]/.test(l) && !(glued && (glued[1].length <= 3 || UNIT_WORDS[glued[1]] !== undefined || COMMON.has(glued[1])))) {
        // mixed letters and digits, long: a tracking code (AB12345678CD, JD014600003828)
        this.addId('tracking', i, i + 1, t.t, false);
        continue;
      }
      if (t.k === 'w' && /^[a-z]{2,5}-\d{4,}$/.test(l) && !/^(sku|ord|po|inv|item|part|ref)-/.test(l) && !this.isSkuContext(i)) {
        this.addId('tracking', i, i + 1, t.t, false);
        continue;
      }
    }
    // SKUs
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      if (toks[i].n === 'sku' || toks[i].n === 'skus' || (toks[i].n === 'item' && this.n(i + 1) === '#') || (toks[i].n === 'part' && ['#', 'number', 'no'].includes(this.n(i + 1)))) {
        const j = this.afterIdKeyword(i + 1);
        const t = toks[j];
        if (t && !this.used[j] && (t.k === 'w' || t.k === 'n') && /^[a-z0-9][a-z0-9._/-]*$/i.test(t.t)) {
          this.skus.push({ s: i, e: j + 1, value: t.t.toUpperCase() });
          this.mark(i, j + 1);
        }
      } else {
        const m = /^sku[-#:]?([a-z0-9][a-z0-9-]*)$/.exec(toks[i].l);
        if (m && hasDigit(m[1])) {
          this.skus.push({ s: i, e: i + 1, value: m[1].toUpperCase() });
          this.mark(i, i + 1);
        }
      }
    }
  }

  private isSkuContext(i: number): boolean {
    return this.n(i - 1) === 'sku' || this.n(i - 2) === 'sku';
  }

  private idKeyword(i: number): { kind: IdKind; e: number } | undefined {
    const t = this.toks[i];
    const w = t.n;
    const l = t.l;
    const next = this.n(i + 1);
    if (l === 'po' || l === 'pos' || (l === 'p.o' && this.toks[i + 1]?.t === '.')) return { kind: 'po', e: l === 'p.o' ? i + 2 : i + 1 };
    if (l === 'p' && this.toks[i + 1]?.t === '.' && this.toks[i + 2]?.l === 'o') return { kind: 'po', e: this.toks[i + 3]?.t === '.' ? i + 4 : i + 3 };
    if (w === 'purchase' && next === 'order') return { kind: 'po', e: i + 2 };
    if (w === 'order' || w === 'orders' || l === 'ord' || l === 'ordr') {
      if (next === 'po' || next === 'pos') return undefined;
      return { kind: 'order', e: i + 1 };
    }
    if (l === 'so' && this.toks[i + 1]?.k === 'n' && !this.toks[i + 1].sp) return undefined;
    if (w === 'invoice' || w === 'invoices' || l === 'inv' || l === 'invoice#' || w === 'bill' && next !== 'of') return { kind: 'invoice', e: i + 1 };
    if (w === 'shipment' || w === 'shipments' || w === 'tracking' || w === 'awb' || w === 'waybill' || l === 'bol' || l === 'pro' || w === 'consignment' || w === 'parcel' || w === 'package' || w === 'container' || w === 'cntr' || w === 'load' || w === 'booking' || l === 'hawb' || l === 'mawb' || w === 'trk' || (w === 'bill' && next === 'of')) {
      if (w === 'bill') return { kind: 'tracking', e: this.n(i + 2) === 'lading' ? i + 3 : i + 1 };
      if (w === 'tracking' && (next === 'number' || next === 'no' || next === 'num' || next === 'id' || next === 'code')) return { kind: 'tracking', e: i + 1 };
      return { kind: 'tracking', e: i + 1 };
    }
    return undefined;
  }

  // --- amounts -------------------------------------------------------------------------------

  private extractAmounts(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      let s = i;
      let e = -1;
      let value: number | undefined;
      let money = false;
      if ((t.t === '$' || t.t === '\u20ac' || t.t === '\u00a3' || t.l === 'usd' || t.l === 'eur' || t.l === 'gbp' || t.l === 'us$') && toks[i + 1]) {
        const v = parseNumber(toks[i + 1].t);
        if (v !== undefined && !this.used[i + 1]) {
          value = v;
          e = i + 2;
          money = true;
          // "$1.2 k" / "$5 million"
          const u = this.n(e);
          if (u === 'k' || u === 'thousand' || u === 'grand') {
            value *= 1000;
            e++;
          } else if (u === 'm' || u === 'million' || u === 'mil') {
            value *= 1_000_000;
            e++;
          }
        }
      } else if ((t.k === 'n' || t.k === 'w') && parseNumber(t.t) !== undefined) {
        const next = this.n(i + 1);
        if (['dollars', 'dollar', 'usd', 'bucks', 'eur', 'euros', 'euro', 'gbp', 'pounds sterling'].includes(next)) {
          value = parseNumber(t.t);
          e = i + 2;
          money = true;
        } else if ((next === 'k' || next === 'grand' || next === 'thousand') && ['dollars', 'usd', 'bucks'].includes(this.n(i + 2))) {
          value = parseNumber(t.t)! * 1000;
          e = i + 3;
          money = true;
        } else if (this.comparatorBefore(i) !== undefined && !this.quantityAfter(i + 1) && !(t.k === 'n' && /[/:]/.test(t.l))) {
          // "discrepancies over 500" / "above 1.2k"
          value = parseNumber(t.t);
          e = i + 1;
        }
      }
      if (value === undefined || e < 0) continue;
      const cmp = this.comparatorBefore(s);
      let min = false;
      if (cmp !== undefined) {
        s = cmp;
        min = true;
      }
      if (toks[e]?.t === '+' && !toks[e].sp) {
        min = true;
        e++;
      }
      if (this.n(e) === 'or' && ['more', 'above', 'higher', 'greater', 'over'].includes(this.n(e + 1))) {
        min = true;
        e += 2;
      }
      this.amounts.push({ s, e, value: Math.round(value * 100) / 100, min, money });
      this.mark(i, e);
      i = e - 1;
    }
  }

  /** The index where a comparator ("over", "more than", ">") before token i starts. */
  private comparatorBefore(i: number): number | undefined {
    const a = this.n(i - 1);
    const b = this.n(i - 2);
    const c = this.n(i - 3);
    const t1 = this.toks[i - 1];
    if (t1 && (t1.t === '>' || t1.t === '\u2265')) return t1.t === '>' && this.toks[i - 2]?.t === '=' ? i - 2 : i - 1;
    if (t1 && t1.t === '=' && this.toks[i - 2]?.t === '>') return i - 2;
    if (['over', 'above', 'exceeding', 'exceed', 'exceeds', 'min', 'minimum', 'upwards', 'past', 'beyond', 'atleast'].includes(a)) return i - 1;
    if (a === 'than' && ['more', 'greater', 'bigger', 'larger', 'higher'].includes(b)) return i - 2;
    if (a === 'least' && b === 'at') return i - 2;
    if (a === 'of' && (b === 'excess' && c === 'in')) return i - 3;
    if (a === 'of' && (b === 'north' || b === 'upwards')) return i - 2;
    if (a === ':' && (b === 'min' || b === 'minimum' || b === 'threshold')) return i - 2;
    if (a === 'than' && b === 'more' && c === 'no') return undefined;
    return undefined;
  }

  private quantityAfter(i: number): boolean {
    const t = this.toks[i];
    if (!t) return false;
    if (t.t === '%') return true;
    return t.k === 'w' && (UNIT_WORDS[t.l] !== undefined || UNIT_WORDS[t.n] !== undefined || /^(lbs?|kgs?|kilos?|kilograms?|pounds?|tons?|tonnes?|t|days?|weeks?|hours?|hrs?|months?|percent|shipments?|orders?|invoices?|loads?|miles?|km|items?)$/.test(t.n));
  }

  // --- weights -------------------------------------------------------------------------------

  private unitFactor(w: string, next: string): { f: number; len: number } | undefined {
    switch (w) {
      case 'lb':
      case 'lbs':
      case 'pound':
      case 'pounds':
      case 'lbs.':
      case '#':
        return { f: 0.45359237, len: 1 };
      case 'kg':
      case 'kgs':
      case 'kilo':
      case 'kilos':
      case 'kilogram':
      case 'kilograms':
      case 'kilogrammes':
        return { f: 1, len: 1 };
      case 't':
      case 'tonne':
      case 'tonnes':
      case 'mt':
        return { f: 1000, len: 1 };
      case 'metric':
        if (next === 'ton' || next === 'tons' || next === 'tonne' || next === 'tonnes') return { f: 1000, len: 2 };
        return undefined;
      case 'ton':
      case 'tons':
        return { f: 907.18474, len: 1 };
      case 'short':
        if (next === 'ton' || next === 'tons') return { f: 907.18474, len: 2 };
        return undefined;
    }
    return undefined;
  }

  private extractWeights(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      let value: number | undefined;
      let e = -1;
      if (t.k === 'n' || t.k === 'w') {
        // attached: 2000lbs, 500kg, 1.5t, 10klbs
        if (t.k === 'w') {
          const m = /^(\d[\d,]*(?:\.\d+)?k?)(lbs?|kgs?|kilos?|t|mt|tonnes?|tons?|pounds?)$/.exec(t.l);
          if (m) {
            const v = parseNumber(m[1]);
            const u = this.unitFactor(m[2], '');
            if (v !== undefined && u) {
              value = v * u.f;
              e = i + 1;
            }
          }
          if (value === undefined && /^\d[\d,.]*k$/.test(t.l)) {
            const u = this.unitFactor(this.n(i + 1), this.n(i + 2));
            const v = parseNumber(t.l);
            if (u && v !== undefined) {
              value = v * u.f;
              e = i + 1 + u.len;
            }
          }
        } else {
          const v = parseNumber(t.t);
          const nt = toks[i + 1];
          if (v !== undefined && nt && !this.used[i + 1]) {
            let j = i + 1;
            let mult = 1;
            if (toks[j].n === 'k' || toks[j].n === 'thousand') {
              mult = 1000;
              j++;
            }
            const tj = toks[j];
            if (tj && (tj.k === 'w' || (tj.t === '#' && !toks[j + 1]?.k))) {
              const u = this.unitFactor(tj.l === 'lbs.' ? 'lbs' : tj.n === 'pounds' || tj.l === 'pounds' ? 'pounds' : tj.l, this.n(j + 1));
              // a bare "t" only right after the number
              if (u && !(tj.l === 't' && tj.sp && !/^(t)$/.test(tj.l))) {
                value = v * mult * u.f;
                e = j + u.len;
              }
            }
          }
        }
      }
      if (value === undefined) continue;
      const kg = Math.round(value * 10) / 10;
      if (!this.weightKg) this.weightKg = { s: i, e, value: kg };
      this.mark(i, e);
      i = e - 1;
    }
  }

  // --- items ---------------------------------------------------------------------------------

  private quantityAt(i: number): { q: number; e: number } | undefined {
    const t = this.toks[i];
    if (!t || this.used[i]) return undefined;
    if (t.k === 'n') {
      if (/[/:]/.test(t.l)) return undefined;
      const v = parseNumber(t.t);
      if (v === undefined || v <= 0) return undefined;
      return { q: v, e: i + 1 };
    }
    if (t.k === 'w') {
      const v = NUMBER_WORDS[t.n];
      if (v !== undefined) {
        if (t.n === 'couple' && this.n(i + 1) === 'of') return { q: 2, e: i + 2 };
        if (t.n === 'dozen') return { q: 12, e: i + 1 };
        if ((t.n === 'a' || t.n === 'an') && this.n(i + 1) === 'dozen') return { q: 12, e: i + 2 };
        if (t.n === 'hundred' || t.n === 'couple') return undefined;
        // "twenty five"
        const next = NUMBER_WORDS[this.n(i + 1)];
        if (v >= 20 && v % 10 === 0 && next !== undefined && next < 10 && this.n(i + 1) !== 'a' && this.n(i + 1) !== 'an') return { q: v + next, e: i + 2 };
        return { q: v, e: i + 1 };
      }
    }
    return undefined;
  }

  private unitAt(i: number): { unit: Item['unit']; e: number } | undefined {
    const t = this.toks[i];
    if (!t || this.used[i] || t.k !== 'w') return undefined;
    const u = UNIT_WORDS[t.l] ?? UNIT_WORDS[t.n];
    if (u === undefined) return undefined;
    return { unit: u, e: i + 1 };
  }

  private static readonly ITEM_MODIFIERS = new Set(['x', 'more', 'extra', 'full', 'standard', 'large', 'small', 'big', 'heavy', 'light', 'euro', 'wooden', 'plastic', 'steel', 'metal', 'empty', 'additional', 'separate', 'mixed', 'gaylord', 'bulk', 'sealed', 'stacked', 'double', 'single', 'of', 'hc', 'high', 'cube', 'reefer', 'dry', 'refrigerated', 'ft', 'foot', 'feet', "'", 'gp', 'dv', 'std', 'fcl', 'lcl', 'loose', 'shrink', 'wrapped', 'oversized', 'palletized', 'total']);

  private extractItems(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      let q: { q: number; e: number } | undefined;
      let u: { unit: Item['unit']; e: number } | undefined;
      const t = toks[i];
      // glued: 12pallets, 40ctns, 5plts; 2x40ft containers, 3x pallets
      if (t.k === 'w') {
        const m = /^(\d+)([a-z]+)$/.exec(t.l);
        if (m && UNIT_WORDS[m[2]] !== undefined) {
          q = { q: Number(m[1]), e: i + 1 };
          u = { unit: UNIT_WORDS[m[2]], e: i + 1 };
        }
        const mx = /^(\d+)x(\d+(ft|hc|gp|dv)?)?$/.exec(t.l);
        if (mx) {
          let j = i + 1;
          if (['ft', 'foot', "'", 'hc', 'high'].includes(this.n(j))) j++;
          const uu = this.unitAt(j);
          if (uu) {
            q = { q: Number(mx[1]), e: i + 1 };
            u = uu;
          }
        }
      }
      if (!u) {
        q = this.quantityAt(i);
        if (!q) continue;
        let j = q.e;
        // "2 x 40ft containers", "3 more pallets"
        for (let k = 0; k < 3 && j < toks.length; k++) {
          const tj = toks[j];
          if (this.used[j]) break;
          if (Analysis.ITEM_MODIFIERS.has(tj.n) && !(tj.n === 'of' && k > 0)) {
            if (tj.n === 'of' && !(q.q === 2 && toks[i].n === 'couple')) break;
            j++;
            continue;
          }
          if (/^\d+(ft|'|hc|gp|dv)?$/.test(tj.l) && ['ft', "'", 'foot', 'feet', 'hc', 'gp', 'dv'].some((w) => tj.l.endsWith(w) || this.n(j + 1) === w)) {
            j++;
            continue;
          }
          break;
        }
        u = this.unitAt(j);
        if (!u) continue;
        // "a" / "an" + unit only in a sentence that orders things ("a pallet of chairs")
        if ((toks[i].n === 'a' || toks[i].n === 'an' || toks[i].n === 'one') && u.unit === 'container' && this.n(u.e) !== 'of') continue;
        if ((toks[i].n === 'a' || toks[i].n === 'an') && !['of'].includes(this.n(u.e)) && !this.orderingVerbNear(i)) continue;
      }
      const item: Item = { quantity: q!.q, unit: u.unit };
      let e = u.e;
      // description: "of paper towels"
      if (this.n(e) === 'of' && !this.used[e]) {
        const ds = e + 1;
        let de = ds;
        while (de < toks.length && de - ds < 8) {
          const td = toks[de];
          if (this.used[de] || td.nl) break;
          if (td.k === 'p' && !(td.t === '-' && !td.sp) && !(td.t === '&') && !(td.t === "'") && !(td.t === '/' && !td.sp)) break;
          if (td.k === 'n' || (td.k === 'w' && /^\d/.test(td.l))) {
            // a number starts the next item or a weight
            if (this.quantityAt(de) && (this.unitAt(de + 1) || this.n(de + 1) === 'x')) break;
            if (de === ds) break;
          }
          if (DESCRIPTION_STOP.has(td.n) && de > ds) break;
          // "furniture Ningbo to Los Angeles": a capitalised word that starts a lane ends the description
          if (de > ds && (td.cap || td.up) && (this.n(de + 1) === 'to' || toks[de + 1]?.t === '->') && this.placeToken(de + 2, true)) break;
          if (DESCRIPTION_STOP.has(td.n) && de === ds && td.n !== 'the') break;
          if (td.n === 'and' && (this.quantityAt(de + 1) || this.n(de + 1) === 'a')) break;
          if (UNIT_WORDS[td.l] !== undefined && de > ds && this.quantityAt(de - 1)) break;
          de++;
        }
        // trailing joiners
        while (de > ds && ['and', 'or', '&', '-', 'the', 'a', 'with'].includes(toks[de - 1].n)) de--;
        if (de > ds) {
          item.description = trimValue(this.slice(ds, de));
          e = de;
        }
      }
      this.items.push({ s: i, e, value: item });
      this.mark(i, e);
      i = e - 1;
    }
    // attach SKUs to the item before them (or after, when they come first)
    for (const sku of this.skus) {
      let target: Mention<Item> | undefined;
      for (const it of this.items) if (it.e <= sku.s && !it.value.sku) target = it;
      if (target) {
        // only when nothing but punctuation/"of"/"," separates them
        let gapOk = true;
        for (let k = target.e; k < sku.s; k++) {
          const tk = toks[k];
          if (!(tk.k === 'p' || ['of', 'with', 'item', 'each', 'for'].includes(tk.n))) gapOk = false;
        }
        if (!gapOk) target = undefined;
      }
      if (!target) target = this.items.find((it) => it.s >= sku.e && !it.value.sku && it.s - sku.e <= 3);
      if (target) target.value.sku = sku.value;
    }
  }

  private orderingVerbNear(i: number): boolean {
    for (let k = Math.max(0, i - 6); k < i; k++) {
      if (['book', 'ship', 'send', 'move', 'create', 'order', 'need', 'collect', 'pick', 'pickup', 'enter', 'new', 'add', 'arrange', 'deliver', 'haul', 'place', 'for'].includes(this.toks[k].n)) return true;
    }
    return false;
  }

  // --- schedules -----------------------------------------------------------------------------

  private weekdayToken(i: number): number | undefined {
    const t = this.toks[i];
    if (!t || this.used[i] || t.k !== 'w') return undefined;
    const d = WEEKDAYS[t.l] ?? WEEKDAYS[t.n];
    return d;
  }

  private extractFrequencies(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const w = toks[i].n;
      const l = toks[i].l;
      let f: Frequency | undefined;
      let e = i + 1;
      let strength = 2;
      let dow: DayOfWeek | undefined;
      if (w === 'every' || w === 'each' || (w === 'once' && (this.n(i + 1) === 'a' || this.n(i + 1) === 'per')) || w === 'on' || w === 'most' || w === 'all') {
        let j = i + 1;
        if (w === 'once') j = i + 2;
        if (this.n(j) === 'single') j++;
        const x = this.n(j);
        const d = this.weekdayToken(j);
        if (x === 'day' || x === 'morning' || x === 'evening' || x === 'night' || x === 'afternoon' || x === 'mornings' || x === 'evenings' || x === 'nights' || x === 'days' || (x === 'workday' && w !== 'on') || x === 'am') {
          if (w === 'on' || w === 'most' || w === 'all') {
            if (x === 'mornings' || x === 'evenings') {
              f = 'daily';
              e = j + 1;
            }
          } else {
            f = 'daily';
            e = j + 1;
          }
        } else if (x === 'weekday' || x === 'weekdays' || x === 'workday' || x === 'workdays' || ((x === 'business' || x === 'working' || x === 'work') && ['day', 'days'].includes(this.n(j + 1)))) {
          f = 'weekdays';
          e = x === 'business' || x === 'working' || x === 'work' ? j + 2 : j + 1;
        } else if (x === 'week' && w !== 'on') {
          f = 'weekly';
          e = j + 1;
        } else if (x === 'month' && w !== 'on') {
          f = 'monthly';
          e = j + 1;
        } else if (d !== undefined && (w !== 'on' || toks[j].l.endsWith('s')) && w !== 'most' && w !== 'all') {
          // every Monday / on Mondays; "Monday through Friday" = weekdays
          const r = this.weekdayRange(j);
          if (r) {
            f = 'weekdays';
            e = r;
          } else {
            f = 'weekly';
            dow = DOW_NAMES[d];
            e = j + 1;
            if (toks[j].l.endsWith('day') && this.n(j + 1) === 'morning') e = j + 2;
          }
        } else if (x === 'other' && this.n(j + 1) === 'week') {
          f = 'weekly';
          e = j + 2;
        }
      } else if (l === 'daily' || l === 'nightly' || l === 'everyday' || w === 'daily') {
        f = 'daily';
        strength = 1;
      } else if (w === 'weekly' || l === 'weekly' || l === 'biweekly') {
        f = 'weekly';
        strength = 1;
      } else if (w === 'monthly' || l === 'monthly') {
        f = 'monthly';
        strength = 1;
      } else if (w === 'weekdays' || w === 'workdays' || (w === 'weekday' && ['mornings', 'morning', 'evenings', 'at'].includes(this.n(i + 1)))) {
        f = 'weekdays';
      } else if ((w === 'business' || w === 'working') && this.n(i + 1) === 'days') {
        f = 'weekdays';
        e = i + 2;
      } else if (l === 'mon-fri' || l === 'm-f' || ((l === 'mon' || l === 'monday' || l === 'm') && toks[i + 1]?.t === '-' && ['fri', 'friday', 'f'].includes(this.n(i + 2)))) {
        f = 'weekdays';
        e = l.includes('-') ? i + 1 : i + 3;
      } else if (this.weekdayRange(i)) {
        f = 'weekdays';
        e = this.weekdayRange(i)!;
      } else if (toks[i].k === 'w' && toks[i].l.endsWith('days') && this.weekdayToken(i) !== undefined && toks[i].l !== 'days') {
        // plural weekday: "Mondays at 9"
        const d = this.weekdayToken(i)!;
        f = 'weekly';
        dow = DOW_NAMES[d];
      } else if ((w === 'first' || w === '1st' || w === 'start' || w === 'beginning' || w === 'end' || w === 'last') && this.n(i + 1) === 'of' && (['the', 'each', 'every'].includes(this.n(i + 2)) && this.n(i + 3) === 'month')) {
        f = 'monthly';
        e = i + 4;
      } else if ((w === 'first' || w === '1st') && this.n(i + 1) === 'day' && this.n(i + 2) === 'of' && ['the', 'each', 'every'].includes(this.n(i + 3)) && this.n(i + 4) === 'month') {
        f = 'monthly';
        e = i + 5;
      }
      if (!f) continue;
      // "every day except weekends" / "daily, excluding weekends"
      if (f === 'daily') {
        let k = e;
        if (toks[k]?.t === ',') k++;
        const x = this.n(k);
        let k2 = -1;
        if (x === 'except' || x === 'excluding' || x === 'minus') k2 = k + 1;
        else if ((x === 'but' || x === 'not') && (this.n(k + 1) === 'not' || this.n(k + 1) === 'on')) k2 = k + 2;
        else if (x === 'no') k2 = k + 1;
        if (k2 > 0 && (this.n(k2) === 'on' || this.n(k2) === 'the')) k2++;
        if (k2 > 0 && (this.n(k2) === 'weekends' || this.n(k2) === 'weekend' || this.n(k2) === 'saturdays')) {
          f = 'weekdays';
          e = k2 + 1;
        }
      }
      this.frequencies.push({ s: i, e, value: f, strength, dow });
      this.mark(i, e);
      i = e - 1;
    }
    // "weekly on Friday(s)", "every week on Monday": a weekday after a weekly frequency
    for (const fm of this.frequencies) {
      if (fm.value !== 'weekly' || fm.dow) continue;
      for (let k = fm.e; k < Math.min(this.toks.length, fm.e + 3); k++) {
        const d = this.weekdayToken(k);
        if (d !== undefined) {
          fm.dow = DOW_NAMES[d];
          this.mark(k, k + 1);
          break;
        }
      }
    }
  }

  /** "Monday through Friday" / "Mon to Fri" / "Monday-Friday": the end index, when it is the working week. */
  private weekdayRange(i: number): number | undefined {
    const a = this.weekdayToken(i);
    if (a !== 1) return undefined;
    const sep = this.toks[i + 1];
    if (!sep || !['to', 'through', 'thru', '-', 'till', 'until'].includes(sep.k === 'p' ? sep.t : sep.n)) return undefined;
    const b = this.weekdayToken(i + 2);
    return b === 5 ? i + 3 : undefined;
  }

  // --- times ---------------------------------------------------------------------------------

  private extractTimes(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const r = this.timeAt(i);
      if (!r) continue;
      this.times.push({ s: r.s, e: r.e, value: r.value });
      this.mark(r.s, r.e);
      i = r.e - 1;
    }
  }

  private meridiem(i: number): { pm: boolean; e: number } | undefined {
    const t = this.toks[i];
    if (!t) return undefined;
    const l = t.l;
    if (l === 'am' || l === 'a.m' || l === 'a') {
      if (l === 'a' && !(this.toks[i + 1]?.t === '.' && this.toks[i + 2]?.l === 'm')) return undefined;
      let e = i + 1;
      if (l === 'a') e = i + 3;
      if (this.toks[e]?.t === '.' && !this.toks[e].sp) e++;
      return { pm: false, e };
    }
    if (l === 'pm' || l === 'p.m' || l === 'p') {
      if (l === 'p' && !(this.toks[i + 1]?.t === '.' && this.toks[i + 2]?.l === 'm')) return undefined;
      let e = i + 1;
      if (l === 'p') e = i + 3;
      if (this.toks[e]?.t === '.' && !this.toks[e].sp) e++;
      return { pm: true, e };
    }
    return undefined;
  }

  private fmtTime(h: number, m: number): string | undefined {
    if (h < 0 || h > 23 || m < 0 || m > 59) return undefined;
    return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
  }

  private applyMeridiem(h: number, pm: boolean): number {
    if (h === 12) return pm ? 12 : 0;
    return pm ? h + 12 : h;
  }

  /** Where the time phrase being read starts (for the part of the day before it). */
  private timeStart = -1;

  private timeAt(i: number): { s: number; e: number; value: string } | undefined {
    const toks = this.toks;
    this.timeStart = this.n(i - 1) === 'at' || this.n(i - 1) === '@' || this.n(i - 1) === 'around' ? i - 1 : i;
    const t = toks[i];
    const l = t.l;
    if (t.n === 'noon' || t.n === 'midday' || (t.n === 'lunchtime' && this.n(i - 1) === 'at')) return { s: this.n(i - 1) === 'at' ? i - 1 : i, e: i + 1, value: '12:00' };
    if (t.n === 'midnight') return { s: this.n(i - 1) === 'at' ? i - 1 : i, e: i + 1, value: '00:00' };
    const atBefore = this.n(i - 1) === 'at' || this.n(i - 1) === '@' || this.n(i - 1) === 'around';
    const s = this.n(i - 1) === 'at' || this.n(i - 1) === '@' ? i - 1 : i;
    // 8am, 5:30pm, 8.30am, 17:30h
    if (t.k === 'w') {
      const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m|p\.m|a|p|h|hrs)$/.exec(l);
      if (m) {
        let h = Number(m[1]);
        const min = m[2] ? Number(m[2]) : 0;
        let e = i + 1;
        if (m[3].startsWith('a') || m[3].startsWith('p')) {
          if ((m[3] === 'a' || m[3] === 'p') && !atBefore) return undefined;
          if (h > 12 || h === 0) return undefined;
          h = this.applyMeridiem(h, m[3].startsWith('p'));
          if (toks[e]?.t === '.' && !toks[e].sp && (m[3] === 'a.m' || m[3] === 'p.m')) e++;
        } else if (m[3] === 'h' && !m[2] && !atBefore) return undefined;
        const v = this.fmtTime(h, min);
        return v ? { s, e, value: this.contextShift(v, e, !!m[3].match(/^[ap]/)) } : undefined;
      }
    }
    if (t.k === 'n') {
      // 5:30 / 17:30 (+ am/pm)
      const m = /^(\d{1,2})[:.](\d{2})$/.exec(l);
      const mh = /^(\d{1,2})$/.exec(l);
      const mil = /^([01]\d|2[0-3])([0-5]\d)$/.exec(l);
      if (m && (l.includes(':') || atBefore || this.meridiem(i + 1))) {
        let h = Number(m[1]);
        const min = Number(m[2]);
        let e = i + 1;
        const mer = this.meridiem(i + 1);
        let explicit = false;
        if (mer) {
          if (h > 12 || h === 0) return undefined;
          h = this.applyMeridiem(h, mer.pm);
          e = mer.e;
          explicit = true;
        }
        const v = this.fmtTime(h, min);
        return v ? { s, e, value: this.contextShift(v, e, explicit) } : undefined;
      }
      if (mh) {
        const h = Number(mh[1]);
        const mer = this.meridiem(i + 1);
        if (mer) {
          if (h > 12 || h === 0) return undefined;
          const v = this.fmtTime(this.applyMeridiem(h, mer.pm), 0);
          return v ? { s, e: mer.e, value: v } : undefined;
        }
        // 8 o'clock
        if (this.n(i + 1) === "o'clock" || this.n(i + 1) === 'oclock' || (this.n(i + 1) === 'o' && toks[i + 2]?.t === "'")) {
          const e = this.n(i + 1) === 'o' ? i + 4 : i + 2;
          const v = this.fmtTime(h, 0);
          return v ? { s, e, value: this.contextShift(v, e, false) } : undefined;
        }
        // at 6 (24-hour clock), not "at 6 pallets", not "at $6"
        if (atBefore && h <= 23 && !this.quantityAfter(i + 1) && toks[i + 1]?.t !== '%') {
          const v = this.fmtTime(h, 0);
          return v ? { s, e: i + 1, value: this.contextShift(v, i + 1, false) } : undefined;
        }
      }
      if (mil && atBefore && !this.quantityAfter(i + 1)) {
        const v = this.fmtTime(Number(mil[1]), Number(mil[2]));
        let e = i + 1;
        if (['hrs', 'hours', 'h'].includes(this.n(e))) e++;
        return v ? { s, e, value: v } : undefined;
      }
    }
    return undefined;
  }

  /** "at 6 in the evening" / "7 tonight": the hour is in the afternoon. */
  private contextShift(v: string, e: number, explicit: boolean): string {
    if (explicit) return v;
    const h = Number(v.slice(0, 2));
    if (h >= 12 || h === 0) return v;
    const a = this.n(e);
    const b = this.n(e + 1);
    const c = this.n(e + 2);
    let evening = (a === 'in' && b === 'the' && (c === 'evening' || c === 'afternoon')) || a === 'tonight' || (a === 'this' && (b === 'evening' || b === 'afternoon')) || (a === 'at' && b === 'night') || a === 'pm';
    // "every Friday afternoon at 3": the part of the day just before the time
    if (!evening && this.timeStart >= 0) {
      for (let k = this.timeStart - 1; k >= Math.max(0, this.timeStart - 2); k--) {
        const w = this.n(k);
        if (w === 'afternoon' || w === 'evening' || w === 'afternoons' || w === 'evenings' || w === 'night' || w === 'nights') evening = h >= 1;
      }
    }
    if (evening) return `${String(h + 12).padStart(2, '0')}${v.slice(2)}`;
    return v;
  }

  // --- carriers ------------------------------------------------------------------------------

  private extractCarriers(): void {
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i] || toks[i].k !== 'w') continue;
      let key = '';
      let best: { e: number; name: CarrierKey } | undefined;
      for (let j = i; j < toks.length && j < i + 5; j++) {
        const tj = toks[j];
        if (this.used[j] || tj.v) break;
        if (j > i && tj.nl) break;
        if (tj.k === 'p') {
          if (tj.t === '.' || tj.t === '-' || tj.t === '+' || tj.t === '&') {
            if (tj.t === '+' || tj.t === '&') key += tj.t;
            continue;
          }
          break;
        }
        key += tj.l.indexOf('.') >= 0 || tj.l.indexOf('-') >= 0 ? tj.l.replace(/[.-]/g, '') : tj.l;
        if (key.length > MAX_CARRIER_KEY || !CARRIER_PREFIXES.has(key)) break;
        const hit = CARRIER_KEYS.get(key);
        if (hit) best = { e: j + 1, name: hit };
      }
      if (!best) continue;
      const t = toks[i];
      if (best.name.capitalOnly && !t.cap && !t.up) continue;
      // "follow ups", "pick ups", "set ups"
      if (t.l === 'ups' && !t.up && ['follow', 'pick', 'set', 'start', 'mark', 'check', 'back', 'hook', 'mix', 'line', 'round', 'call'].includes(this.n(i - 1))) continue;
      // "one" is a number
      // drop trailing dots from "J.B." style names
      let e = best.e;
      while (e > i + 1 && toks[e - 1].k === 'p') e--;
      this.carriers.push({ s: i, e, value: trimValue(this.slice(i, e)), lex: true });
      this.mark(i, e);
      i = e - 1;
    }
    // "with/via/using/carrier X": capitalised names that are not in the lexicon
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const w = toks[i].n;
      let j = -1;
      if (w === 'via' || w === 'using' || w === 'with' || (w === 'by' && ['shipped', 'moved', 'hauled', 'carried', 'delivered', 'billed', 'invoiced', 'handled'].includes(this.n(i - 1)))) j = i + 1;
      else if (w === 'carrier' || w === 'carriers' || w === 'trucker' || w === 'forwarder' || w === 'haulier' || w === 'hauler') {
        j = i + 1;
        if (toks[j]?.t === ':' || toks[j]?.n === 'is' || toks[j]?.t === '-') j++;
      }
      if (j < 0) continue;
      const span = this.nameSpan(j, { requireCap: w !== 'carrier' && w !== 'carriers' });
      if (!span) continue;
      const value = trimValue(this.slice(span.s, span.e));
      if (w === 'with' && !this.isCarrierLike(span.s, span.e)) continue;
      this.carriers.push({ s: span.s, e: span.e, value, lex: false });
      this.mark(span.s, span.e);
      i = span.e - 1;
    }
  }

  private isCarrierLike(s: number, e: number): boolean {
    for (let k = s; k < e; k++) if (CARRIER_SUFFIXES.has(this.toks[k].n)) return true;
    return false;
  }

  // --- names ---------------------------------------------------------------------------------

  /** A token that may be part of a name (customer, carrier). */
  private nameToken(i: number, first: boolean, requireCap: boolean): boolean {
    const t = this.toks[i];
    if (!t || this.used[i]) return false;
    if (t.k === 'p') return false;
    if (t.k === 'n') return false;
    const suffix = COMPANY_SUFFIXES.has(t.l) || CARRIER_SUFFIXES.has(t.l);
    if (!first && suffix) return true;
    if (HARD_STOP.has(t.n) || HARD_STOP.has(t.l)) return false;
    if (MONTHS[t.l] !== undefined && !t.cap) return false;
    if (WEEKDAYS[t.l] !== undefined) return false;
    if (UNIT_WORDS[t.l] !== undefined) return false;
    if (t.cap || t.up) return true;
    if (/\d/.test(t.l) && /[a-z]/.test(t.l) && t.l.length <= 4) return true; // 3M
    if (requireCap) return false;
    if (COMMON.has(t.n) || COMMON.has(t.l)) return false;
    if (!/^[a-z][a-z'&.+-]*$/.test(t.l)) return false;
    return true;
  }

  /** A name starting at token i: capitalised words (or unknown words), company suffixes, "&". */
  nameSpan(i: number, opts: { requireCap?: boolean; max?: number } = {}): { s: number; e: number } | undefined {
    const toks = this.toks;
    const max = opts.max ?? 5;
    if (!this.nameToken(i, true, !!opts.requireCap)) return undefined;
    let e = i + 1;
    while (e < toks.length && e - i < max) {
      const t = toks[e];
      if (t.nl) break;
      if ((t.t === '&' || t.n === 'and' || t.t === '+') && this.nameToken(e + 1, false, true) && (toks[e - 1].cap || toks[e - 1].up) && t.n !== 'and') {
        e += 2;
        continue;
      }
      if (t.t === '.' && !t.sp && COMPANY_SUFFIXES.has(toks[e - 1].l + '.')) {
        e++;
        continue;
      }
      if (t.t === '.' && !t.sp && toks[e + 1] && !toks[e + 1].sp && toks[e + 1].k === 'w') {
        // J.B.Hunt / St.Louis
        e++;
        continue;
      }
      if (t.n === "'s" && !t.sp) {
        // "Macy's" is part of a name unless a noun follows ("Acme's shipments")
        if (ENTITY_NOUNS.has(this.n(e + 1)) || STATUS_WORDS.match(toks, e + 1)) break;
        e++;
        continue;
      }
      if (!this.nameToken(e, false, !!opts.requireCap && !(toks[e].cap || toks[e].up))) break;
      // lower-case continuation only for suffixes or unknown words after a lower-case start
      if (!(t.cap || t.up) && !(COMPANY_SUFFIXES.has(t.l) || CARRIER_SUFFIXES.has(t.l)) && (toks[i].cap || toks[i].up)) break;
      // "Initech Houston to Denver": stop before a place that starts a lane
      if ((this.n(e + 1) === 'to' || toks[e + 1]?.t === '->') && this.placeToken(e + 2, true)) break;
      e++;
    }
    return { s: i, e };
  }

  private placeToken(i: number, first: boolean): boolean {
    const t = this.toks[i];
    if (!t || this.used[i] || t.k !== 'w') return false;
    if (PLACE_WORDS.has(t.l) && this.toks[i + 1] && (this.toks[i + 1].k === 'w' || this.toks[i + 1].t === '.')) return true;
    if (HARD_STOP.has(t.n) || HARD_STOP.has(t.l)) return false;
    if (UNIT_WORDS[t.l] !== undefined || UNIT_WORDS[t.n] !== undefined) return false;
    if (STATUS_WORDS.match(this.toks, i)) return false;
    if (t.cap || t.up) return !(first && COMMON.has(t.l) && !t.cap);
    if (COMMON.has(t.n) || COMMON.has(t.l)) return false;
    if (/\d/.test(t.l)) return false;
    return /^[a-z\u00c0-\u024f][a-z\u00c0-\u024f'.]*$/.test(t.l);
  }

  /** A place starting at token i ("Dallas", "New York", "Dallas, TX", "St. Louis"). */
  private placeForward(i: number): { s: number; e: number } | undefined {
    const toks = this.toks;
    let k = i;
    if ((this.n(k) === 'the' || this.n(k) === 'our') && toks[k + 1] && (toks[k + 1].cap || toks[k + 1].up) && this.placeToken(k + 1, true)) k++;
    if (!this.placeToken(k, true)) return undefined;
    let e = k + 1;
    while (e < toks.length && e - k < 4) {
      const t = toks[e];
      if (t.nl) break;
      if (t.t === '.' && !t.sp && (PLACE_WORDS.has(toks[e - 1].l) || toks[e - 1].l.length <= 2) && this.placeToken(e + 1, false)) {
        e++;
        continue;
      }
      if (t.k === 'w' && !t.sp && e > k) {
        // hyphenated place: Winston-Salem
        if (this.placeToken(e, false) || (t.cap && !this.used[e])) {
          e++;
          continue;
        }
      }
      if (!this.placeToken(e, false)) break;
      // a lower-case word does not continue a capitalised place, except place words
      if (!(t.cap || t.up) && (toks[k].cap || toks[k].up) && !PLACE_WORDS.has(t.l) && !REGION_CODES.has(t.l)) break;
      // "from Chicago Dallas": two capitalised cities are not one place unless it is a known combination
      e++;
    }
    // "Reno warehouse", "the Dallas DC": the facility word is not part of the place
    if (FACILITY_WORDS.has(this.n(e)) && !this.used[e]) return { s: k, e };
    // ", TX" / ", Texas" / " TX"
    if (toks[e]?.t === ',' && toks[e + 1] && !this.used[e + 1] && toks[e + 1].k === 'w' && (REGION_CODES.has(toks[e + 1].l) && (toks[e + 1].up || toks[e + 1].l.length === 2) || (REGION_NAMES.has(toks[e + 1].l) && toks[e + 1].cap))) {
      // not "Dallas, in ..." (in/or/me are words too): region codes must be upper case when they are words
      const r = toks[e + 1];
      if (r.up || !COMMON.has(r.l) || REGION_NAMES.has(r.l)) e += 2;
    } else if (toks[e] && toks[e].up && toks[e].l.length === 2 && REGION_CODES.has(toks[e].l) && !this.used[e]) {
      e++;
    }
    return { s: k, e };
  }

  /** A place ending just before token i (for "Chicago to Dallas", "Newark -> Boston"). */
  private placeBackward(i: number): { s: number; e: number } | undefined {
    const toks = this.toks;
    let s = i;
    // region: "Dallas, TX ->"
    if (s - 1 >= 0 && toks[s - 1].k === 'w' && REGION_CODES.has(toks[s - 1].l) && toks[s - 1].up && toks[s - 2]?.t === ',' && this.placeToken(s - 3, false)) s -= 2;
    while (s - 1 >= 0 && i - s < 4) {
      const t = toks[s - 1];
      if (t.t === '.' && !t.sp && s - 2 >= 0 && (PLACE_WORDS.has(toks[s - 2].l) || toks[s - 2].l.length <= 2)) {
        s--;
        continue;
      }
      if (!this.placeToken(s - 1, false)) break;
      // a capitalised name does not continue backwards into a lower-case word
      if (s < i && (toks[s].cap || toks[s].up) && !(t.cap || t.up) && !PLACE_WORDS.has(t.l)) break;
      if (s < i && t.nl === false && toks[s].nl) break;
      s--;
      if (t.nl) break;
    }
    if (s === i) return undefined;
    // lower-case place words alone are not places
    if (s + 1 === i && PLACE_WORDS.has(toks[s].l) && !toks[s].cap) return undefined;
    // the span must not start with a sentence-initial capitalised common word
    while (s < i && toks[s].ss && COMMON.has(toks[s].l)) s++;
    if (s === i) return undefined;
    // "for Initech Houston to Denver": the name after "for" is the customer, not the origin
    const before = this.n(s - 1);
    if (before === 'for' || before === 'customer' || before === 'client') {
      if (i - s < 2) return undefined;
      s++;
    }
    return { s, e: i };
  }

  private setOrigin(sp: { s: number; e: number }): void {
    if (this.origin) return;
    this.origin = { s: sp.s, e: sp.e, value: trimValue(this.slice(sp.s, sp.e)) };
    this.mark(sp.s, sp.e);
  }

  private setDestination(sp: { s: number; e: number }): void {
    if (this.destination) return;
    this.destination = { s: sp.s, e: sp.e, value: trimValue(this.slice(sp.s, sp.e)) };
    this.mark(sp.s, sp.e);
  }

  private customerSpan(j: number): { s: number; e: number } | undefined {
    const toks = this.toks;
    if (this.n(j) === 'the' && toks[j + 1] && (toks[j + 1].cap || toks[j + 1].up)) j++;
    const span = this.nameSpan(j);
    if (!span) return undefined;
    // a lower-case single word must not be something people say after "for"
    if (span.e - span.s === 1 && !toks[span.s].cap && !toks[span.s].up && toks[span.s].l.length < 3) return undefined;
    return span;
  }

  private addCustomerOrCarrier(span: { s: number; e: number }, markFrom = span.s): void {
    const value = trimValue(this.slice(span.s, span.e));
    if (value === '') return;
    if (this.isCarrierLike(span.s, span.e)) this.carriers.push({ s: span.s, e: span.e, value, lex: false });
    else this.customers.push({ s: span.s, e: span.e, value });
    this.mark(markFrom, span.e);
  }

  /** The span is the origin of a lane ("for the Chicago to Dallas lane"), not a name. */
  private startsLane(span: { s: number; e: number }): boolean {
    const sep = this.toks[span.e];
    if (!sep || !(sep.n === 'to' || sep.t === '->')) return false;
    const d = this.placeForward(span.e + 1);
    if (!d) return false;
    if (this.n(span.s - 1) === 'the') return true;
    const after = this.n(d.e);
    return after === 'lane' || after === 'lanes' || after === 'route' || after === 'routes' || after === 'corridor';
  }

  private extractPlacesAndCustomers(): void {
    const toks = this.toks;
    // explicit customer keywords first: "customer X", "client: X", "on behalf of X"
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const w = toks[i].n;
      let j = -1;
      if (w === 'customer' || w === 'client' || w === 'account' || w === 'consignee' || w === 'shipper' || w === 'cust') {
        j = i + 1;
        if (toks[j]?.t === ':' || toks[j]?.n === 'is' || toks[j]?.t === '-' || toks[j]?.n === 'name') j++;
        if (toks[j]?.t === ':') j++;
      } else if (w === 'behalf' && this.n(i + 1) === 'of') j = i + 2;
      if (j < 0) continue;
      const span = this.customerSpan(j);
      if (!span) continue;
      this.customers.push({ s: span.s, e: span.e, value: trimValue(this.slice(span.s, span.e)) });
      this.mark(i, span.e);
      i = span.e - 1;
    }
    // "for X"
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i] || toks[i].n !== 'for') continue;
      if (['bound', 'destined', 'headed', 'heading', 'leaving', 'departing', 'ask', 'asking', 'look', 'looking', 'search', 'searching', 'wait', 'waiting', 'pay', 'paid', 'charged', 'billed', 'invoiced', 'overcharged', 'overbilled'].includes(this.n(i - 1))) continue;
      let j = i + 1;
      if (this.n(j) === 'customer' || this.n(j) === 'client' || this.n(j) === 'account') j++;
      const span = this.customerSpan(j);
      if (!span || this.startsLane(span)) continue;
      this.addCustomerOrCarrier(span, i);
      i = span.e - 1;
    }
    // "new order: Globex, 20 cartons" / "new order - Globex - ..."
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const w = toks[i].n;
      if (!(w === 'order' || w === 'booking' || w === 'shipment')) continue;
      const sep = toks[i + 1];
      if (!sep) continue;
      const lineBreak = sep.nl && sep.k === 'w';
      if (!lineBreak && !(sep.t === ':' || sep.t === '-' || sep.t === ',')) continue;
      const span = this.nameSpan(lineBreak ? i + 1 : i + 2, { requireCap: false, max: 4 });
      if (!span) continue;
      const after = toks[span.e];
      if (after && !(after.k === 'p' && [',', '-', ';', ':'].includes(after.t)) && !after.nl) continue;
      if (!(toks[span.s].cap || toks[span.s].up) && COMMON.has(toks[span.s].n)) continue;
      this.addCustomerOrCarrier(span);
      i = span.e - 1;
    }
    // "a request from Globex": who sent it is the customer
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i] || toks[i].n !== 'from') continue;
      if (!['request', 'requests', 'email', 'message', 'call', 'note', 'ticket', 'complaint', 'feedback', 'query', 'inquiry', 'enquiry', 'word', 'order', 'orders'].includes(this.n(i - 1))) continue;
      const span = this.customerSpan(i + 1);
      if (!span || !(toks[span.s].cap || toks[span.s].up)) continue;
      if (this.n(span.e) === 'to' || toks[span.e]?.t === '->') continue;
      this.addCustomerOrCarrier(span, i);
      i = span.e - 1;
    }
    // complete lanes first: "from X to Y"
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i] || toks[i].n !== 'from') continue;
      let j = i + 1;
      if (toks[j]?.t === ':') j++;
      const sp = this.placeForward(j);
      if (!sp) continue;
      const k = sp.e;
      if (!toks[k] || !['to', 'into', 'towards', 'toward', '->'].includes(toks[k].k === 'p' ? toks[k].t : toks[k].n)) continue;
      const dsp = this.placeForward(k + 1);
      if (!dsp) continue;
      this.setOrigin(sp);
      this.setDestination(dsp);
      this.mark(i, i + 1);
      this.mark(k, k + 1);
      break;
    }
    // lanes: "from X to Y", "X -> Y", "X to Y", "to Y", "out of X", "bound for Y", "pickup in X"
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      const w = t.n;
      if (w === 'from' || (w === 'out' && this.n(i + 1) === 'of') || w === 'origin' || w === 'origins' || (w === 'leaving' && !this.used[i + 1]) || w === 'departing' || w === 'ex' && (toks[i + 1]?.cap ?? false)) {
        let j = w === 'out' ? i + 2 : i + 1;
        if (toks[j]?.t === ':' || ((w === 'origin' || w === 'origins') && toks[j]?.n === 'is')) j++;
        if (w === 'departing' && this.n(j) === 'from') j++;
        const sp = this.placeForward(j);
        if (!sp) continue;
        this.setOrigin(sp);
        this.mark(i, i + 1);
        let k = sp.e;
        if (toks[k] && (['to', 'into', 'towards', 'toward', '->', '-', 'thru', 'via'].includes(toks[k].k === 'p' ? toks[k].t : toks[k].n) || (toks[k].t === '/' && toks[k].sp))) {
          const via = toks[k].n === 'via';
          const dsp = this.placeForward(k + 1);
          if (dsp && !via) {
            this.setDestination(dsp);
            this.mark(k, k + 1);
          }
        }
        i = sp.e - 1;
        continue;
      }
      if (t.t === '->' || (t.t === '-' && t.sp && toks[i + 1]?.sp && this.placeToken(i - 1, false) && (toks[i - 1].cap || toks[i - 1].up) && (toks[i + 1]?.cap || toks[i + 1]?.up))) {
        const o = this.placeBackward(i);
        const d = this.placeForward(i + 1);
        if (d) {
          if (o) this.setOrigin(o);
          this.setDestination(d);
          this.mark(i, i + 1);
          i = d.e - 1;
        }
        continue;
      }
      if (w === 'in' || w === 'at') {
        // "pickup in Atlanta" / "waiting for pickup in Houston" / "arriving in Denver"
        let role: 'o' | 'd' | undefined;
        for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
          const pk = toks[k];
          if (pk.k === 'p' && pk.t !== '-') break;
          const pw = pk.n;
          if (['pickup', 'pick', 'collect', 'collection', 'loading', 'load', 'picked', 'origin', 'departing', 'leaving', 'ready', 'waiting'].includes(pw)) {
            role = 'o';
            break;
          }
          if (['arriving', 'arrive', 'arrives', 'landing', 'land', 'lands', 'delivered', 'delivering', 'deliver', 'delivery', 'inbound', 'arrived', 'drop', 'dropoff'].includes(pw)) {
            role = 'd';
            break;
          }
        }
        if (!role) continue;
        const d = this.placeForward(i + 1);
        if (!d) continue;
        if (d.e - d.s === 1 && !(toks[d.s].cap || toks[d.s].up)) continue;
        if (role === 'o') this.setOrigin(d);
        else this.setDestination(d);
        i = d.e - 1;
        continue;
      }
      if (w === 'to' || w === 'into' || w === 'towards' || w === 'toward' || (w === 'for' && ['bound', 'destined', 'headed', 'heading'].includes(this.n(i - 1))) || w === 'destination' || w === 'dest') {
        let j = i + 1;
        if (toks[j]?.t === ':' || ((w === 'destination' || w === 'dest') && toks[j]?.n === 'is')) j++;
        const d = this.placeForward(j);
        if (!d) continue;
        // "to" after a verb that is not about moving things ("want to", "need to")
        if (w === 'to' && d.e - d.s === 1 && !toks[d.s].cap && !toks[d.s].up && ['want', 'need', 'have', 'going', 'like', 'how', 'able', 'trying', 'used', 'due', 'supposed', 'way', 'back', 'reply', 'respond', 'talk', 'speak', 'listen', 'according', 'add', 'switch', 'change', 'up', 'close', 'next', 'compared', 'prior', 'sorry'].includes(this.n(i - 1))) continue;
        // "ship 10 cartons to Acme Corp in Dallas": a company is the customer, the place follows
        if (this.hasCompanySuffix(d.s, d.e)) {
          this.addCustomerOrCarrier(d, i);
          if ((this.n(d.e) === 'in' || this.n(d.e) === 'at') && !this.destination) {
            const d2 = this.placeForward(d.e + 1);
            if (d2) this.setDestination(d2);
          }
          continue;
        }
        if (w === 'to') {
          const o = this.placeBackward(i);
          const capD = toks[d.s].cap || toks[d.s].up;
          const capO = o ? toks[o.s].cap || toks[o.s].up : false;
          if (o && !this.origin && (capO || !capD)) this.setOrigin(o);
        }
        this.setDestination(d);
        this.mark(i, i + 1);
        i = d.e - 1;
      }
    }
    // names before a noun or with "'s": "Acme's late shipments", "Globex shipments", "the Acme Corp digest"
    for (let i = 0; i < toks.length; i++) {
      if (this.used[i]) continue;
      const t = toks[i];
      if (!((t.cap && !t.ss) || t.up || (t.cap && t.ss && !COMMON.has(t.l) && !HARD_STOP.has(t.l)))) continue;
      const span = this.nameSpan(i, { requireCap: true, max: 4 });
      if (!span) continue;
      let k = span.e;
      let possessive = false;
      if (this.n(k) === "'s") {
        possessive = true;
        k++;
      }
      // adjectives / statuses between the name and the noun: "Acme late shipments"
      let k2 = k;
      for (let g = 0; g < 3 && k2 < toks.length && !ENTITY_NOUNS.has(this.n(k2)); g++) {
        const m = STATUS_WORDS.match(toks, k2);
        if (m) k2 = m.e;
        else if (['recent', 'open', 'current', 'active', 'outbound', 'inbound', 'all', 'pending', 'latest', 'last', 'ocean', 'air', 'truck', 'ltl', 'ftl', 'parcel', 'daily', 'weekly', 'monthly', 'kpi', 'freight', 'invoice', 'on', 'time'].includes(this.n(k2)) && k2 + 1 < toks.length) k2++;
        else break;
      }
      const nounNext = ENTITY_NOUNS.has(this.n(k2)) && this.n(k2) !== 'on';
      const suffixed = this.hasCompanySuffix(span.s, span.e);
      // "did Acme Corp send / ship": the subject of a shipping verb after "did"/"has"
      const subject = ['did', 'has', 'have', 'does', 'do'].includes(this.n(span.s - 1)) && ['send', 'ship', 'move', 'order', 'book', 'spend', 'receive', 'get', 'place', 'placed', 'sent', 'shipped', 'ordered', 'booked', 'spent', 'pay', 'paid'].includes(this.n(span.e));
      // "Globex needs 9 boxes shipped": a name opening a sentence, then a verb of wanting
      const opener = toks[span.s].ss && ['needs', 'wants', 'requested', 'asked', 'requires', 'would', 'is', 'has'].includes(this.n(span.e)) && !COMMON.has(toks[span.s].l);
      if (!possessive && !nounNext && !suffixed && !subject && !opener) continue;
      if (MONTHS[toks[span.s].l] !== undefined || WEEKDAYS[toks[span.s].l] !== undefined) continue;
      this.addCustomerOrCarrier(span);
      i = span.e - 1;
    }
  }

  private hasCompanySuffix(s: number, e: number): boolean {
    if (e - s < 2) return false;
    const last = this.toks[e - 1].l.replace(/\.$/, '');
    return COMPANY_SUFFIXES.has(last) && !['group', 'global', 'america', 'americas', 'usa', 'international', 'intl', 'worldwide', 'works', 'goods', 'products', 'supplies', 'supply', 'foods', 'retail', 'stores'].includes(last);
  }

  // --- words: status, metric, report, service level -------------------------------------------

  private extractWords(): void {
    const toks = this.toks;
    const inMetric = new Uint8Array(toks.length);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.k === 'p' && t.t !== '%' && t.t !== '#') continue;
      const mm = METRIC_WORDS.match(toks, i);
      if (mm) {
        this.metrics.push({ s: i, e: mm.e, value: mm.value });
        // "transit time", "on time", "late rate": metric words, not statuses
        if (mm.e - i > 1 || mm.value !== 'exception_count') {
          for (let k = i; k < mm.e; k++) inMetric[k] = 1;
        }
      }
      const rm = REPORT_WORDS.match(toks, i);
      if (rm) this.reports.push({ s: i, e: rm.e, value: rm.value });
      if (!this.used[i] && !inMetric[i]) {
        const sm = STATUS_WORDS.match(toks, i, this.used);
        if (sm && !inMetric[sm.e - 1]) this.statuses.push({ s: i, e: sm.e, value: sm.value });
      }
      // service level
      const w = t.n;
      if (!this.serviceLevel && !this.used[i]) {
        let v: ServiceLevel | undefined;
        let e = i + 1;
        if ((w === 'no' || w === 'not') && ['rush', 'urgent', 'hurry', 'expedite', 'expedited', 'priority'].includes(this.n(i + 1))) {
          v = 'standard';
          e = i + 2;
        } else if (['asap', 'rush', 'rushed', 'urgent', 'urgently', 'express', 'expedite', 'expedited', 'expediting', 'hot', 'priority', 'hotshot', 'emergency', 'overnight'].includes(w) && this.n(i - 1) !== 'no' && this.n(i - 1) !== 'not') {
          v = 'expedited';
        } else if ((w === 'next' || w === 'same') && this.n(i + 1) === 'day' && !this.used[i + 1]) {
          v = 'expedited';
          e = i + 2;
        } else if ((w === 'time' && this.n(i + 1) === 'critical') || (w === 'high' && this.n(i + 1) === 'priority')) {
          v = 'expedited';
          e = i + 2;
        } else if (['standard', 'regular', 'normal', 'economy', 'economical', 'deferred'].includes(w) && ['service', 'shipping', 'delivery', 'transit', 'level', 'freight', 'speed', 'ground', 'rate', 'lane', 'option', 'please', 'mode'].concat(['']).includes(this.n(i + 1))) {
          v = 'standard';
        } else if (['standard', 'regular', 'normal', 'economy'].includes(w) && (this.n(i - 1) === 'ship' || this.n(i - 1) === 'send' || this.n(i - 1) === 'service' || this.n(i - 1) === ':' || toks[i + 1]?.k === 'p')) {
          v = 'standard';
        }
        if (v) this.serviceLevel = { s: i, e, value: v };
      }
    }
    // weekdays not taken by dates or frequencies (for schedules: "Monday at 9 post ...")
    for (const d of this.dates) {
      if (d.day?.dow !== undefined && d.e - d.s <= 2) this.weekdays.push({ s: d.s, e: d.e, value: DOW_NAMES[d.day.dow] });
    }
  }

  /** The first money amount (for flag_invoice). */
  firstAmount(): AmountMention | undefined {
    return this.amounts.find((a) => a.money) ?? this.amounts[0];
  }

  /**
   * Sets the reason: the text after the reference (token index `refEnd`) and its separator
   * (",", ":", "-", "because", "reason:"), without the separator words. A flag may also give its
   * reason right after the reference ("dispute INV-1 overbilled by $40").
   */
  findReason(refEnd: number, mode: 'flag' | 'cancel'): void {
    this.findReasonFrom(refEnd, mode, 0);
  }

  private findReasonFrom(refEnd: number, mode: 'flag' | 'cancel', depth: number): void {
    const toks = this.toks;
    let start = -1;
    for (let i = refEnd; i < toks.length && start < 0; i++) {
      const t = toks[i];
      if (t.nl && i > refEnd) {
        start = i;
        break;
      }
      if (t.k === 'p') {
        if ([',', ':', ';', '(', '|'].includes(t.t)) start = i + 1;
        else if ((t.t === '-' || t.t === '--') && (t.sp || toks[i + 1]?.sp)) start = i + 1;
        else if (['.', '!', '?', '...'].includes(t.t) && toks[i + 1] && !(t.t === '.' && !t.sp && toks[i + 1] && !toks[i + 1].sp)) start = i + 1;
        continue;
      }
      const w = t.n;
      if (w === 'because' || w === 'bc' || w === 'cuz' || w === 'cause' || w === 'coz' || w === 'b/c') start = this.n(i + 1) === 'of' ? i + 2 : i + 1;
      else if (w === 'due' && this.n(i + 1) === 'to') start = i + 2;
      else if ((w === 'reason' || w === 'reasons') && !this.used[i]) start = i;
      else if (w === 'since' && !this.used[i]) start = i + 1;
    }
    if (start < 0 && mode === 'flag') {
      let i = refEnd;
      for (let g = 0; g < 8 && i < toks.length; g++) {
        const t = toks[i];
        if (t.n === 'as') {
          // "as wrong", "as a duplicate", "as disputed"
          i++;
          if (this.n(i) === 'a' || this.n(i) === 'an' || this.n(i) === 'being') i++;
          i++;
          continue;
        }
        if (this.used[i] || IMPLICIT_SKIP.has(t.n) || t.k === 'p') {
          i++;
          continue;
        }
        break;
      }
      if (i < toks.length) start = i;
    }
    if (start < 0 || start >= toks.length) return;
    let i = start;
    // separator words after a punctuation separator: "- reason: ...", ": because ..."
    for (let g = 0; g < 4 && i < toks.length; g++) {
      const w = this.n(i);
      if (w === 'reason' || w === 'reasons') {
        i++;
        if (toks[i]?.t === ':' || this.n(i) === 'is' || this.n(i) === 'being' || toks[i]?.t === '-' || toks[i]?.t === '=') i++;
      } else if (w === 'because' || w === 'bc' || w === 'cuz' || w === 'coz') {
        i++;
        if (this.n(i) === 'of') i++;
      } else if (w === 'due' && this.n(i + 1) === 'to') i += 2;
      else if (toks[i]?.k === 'p' && [':', '-', ',', '(', '--', '='].includes(toks[i].t)) i++;
      else break;
    }
    // leading politeness ("please cancel it"): the request again, the reason may follow its own separator
    let lead = i;
    while (lead < toks.length && FILLER.has(toks[lead].n)) lead++;
    if (lead < toks.length && RESTATING.has(toks[lead].n)) {
      let k = lead + 1;
      while (k < toks.length && !(toks[k].k === 'p' && [',', ':', ';', '-', '.'].includes(toks[k].t))) k++;
      if (k + 1 >= toks.length || depth > 1) return;
      this.findReasonFrom(k, mode, depth + 1);
      return;
    }
    let e = toks.length;
    while (e > i && (toks[e - 1].k === 'p' || FILLER.has(toks[e - 1].n))) e--;
    if (e <= i) return;
    let content = false;
    for (let k = i; k < e; k++) if (toks[k].k !== 'p' && !this.used[k] && !FILLER.has(toks[k].n) && !REASON_EMPTY.has(toks[k].n)) content = true;
    if (!content) return;
    this.reasonStart = i;
    this.reasonEnd = e;
    this.reasonText = trimValue(this.slice(i, e));
  }
}

/** Words between an invoice reference and a reason given without a separator. */
const IMPLICIT_SKIP = new Set(['a', 'an', 'please', 'pls', 'plz', 'for', 'from', 'by', 'it', 'this', 'that', 'one', 'being', 'disputed', 'wrong', 'incorrect', 'invalid', 'bad', 'erroneous', 'problematic', 'suspicious', 'and', 'asap', 'now', 'immediately', 'mark', 'flag', 'is', 'was', 'looks', 'seems', 'too', 'also', 'invoice']);
/** A "reason" that only says the request again ("..., please cancel it"). */
const RESTATING = new Set(['cancel', 'cancelled', 'flag', 'dispute', 'kill', 'void', 'delete', 'remove', 'mark', 'check', 'thanks', 'thank']);
const REASON_EMPTY = new Set(['review', 'approval', 'follow', 'up', 'checking', 'later', 'me', 'us', 'it', 'this', 'that', 'now', 'anymore']);

const FACILITY_WORDS = new Set(['warehouse', 'warehouses', 'dc', 'facility', 'plant', 'depot', 'hub', 'yard', 'terminal', 'site', 'office', 'store', 'factory', 'location', 'branch', 'crossdock', 'mill', 'distribution']);

const DESCRIPTION_STOP = new Set(
  `from to for with via by on at pickup pick deliver delivery ship shipping and plus sku weighing weight weighs going headed heading
  bound asap rush urgent please pls need needs due ready in that which total totaling each est approx approximately the next this
  tomorrow today friday monday tuesday wednesday thursday saturday sunday expedited express standard hot priority po customer
  leaving departing arriving into out moved shipped sent delivered picked transported hauled loaded needed going coming headed
  collected collect moving to be via using needs must should will would can could is are was were has have`
    .split(/\s+/)
    .filter((w) => w !== ''),
);
