import { isValid, parse as parseWithPattern } from 'date-fns';

/**
 * Cell-level parsing for imports: numbers, dates, instants, the enums of data.md with the synonyms
 * real exports use, and the placeholder texts (N/A, "Freight Included in Commodity Cost", ...) that
 * mean "no value here". Pure functions; every parser returns `undefined` for a value it cannot read,
 * so the caller can say which column and what was expected.
 */

export const SHIPMENT_STATUSES = ['pending', 'in_transit', 'delivered', 'exception', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
export const MODES = ['truckload', 'ltl', 'parcel', 'ocean', 'air', 'rail'] as const;
export type Mode = (typeof MODES)[number];
export const CHARGE_TYPES = ['linehaul', 'fuel', 'accessorial', 'tax', 'other'] as const;
export type ChargeType = (typeof CHARGE_TYPES)[number];
export const RATE_BASES = ['flat', 'per_kg', 'accessorial'] as const;
export type RateBasis = (typeof RATE_BASES)[number];

/** Lower-case, trimmed, with `-`, `_` and runs of spaces folded to one space: the form synonyms are looked up in. */
export function enumKey(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

function synonyms<T extends string>(table: Record<T, string[]>): Map<string, T> {
  const m = new Map<string, T>();
  for (const [value, words] of Object.entries(table) as [T, string[]][]) {
    m.set(enumKey(value), value);
    for (const w of words) m.set(enumKey(w), value);
  }
  return m;
}

/** Transport modes, including the words of the USAID SCMS export (Air, Air Charter, Truck, Ocean). */
export const MODE_SYNONYMS = synonyms<Mode>({
  truckload: ['truck', 'tl', 'ftl', 'full truckload', 'full truck load', 'truck load', 'road', 'road freight', 'trucking', 'otr', 'drayage'],
  ltl: ['less than truckload', 'less than truck load', 'less-than-truckload', 'groupage', 'partial'],
  parcel: ['small parcel', 'courier', 'express', 'package', 'parcel post', 'post', 'postal'],
  ocean: ['sea', 'sea freight', 'ocean freight', 'fcl', 'lcl', 'vessel', 'maritime', 'ship'],
  air: ['air freight', 'airfreight', 'air cargo', 'air charter', 'charter', 'air express'],
  rail: ['train', 'railway', 'rail freight', 'intermodal'],
});

export const STATUS_SYNONYMS = synonyms<ShipmentStatus>({
  pending: ['new', 'open', 'created', 'booked', 'planned', 'scheduled', 'tendered', 'not shipped'],
  in_transit: ['in transit', 'intransit', 'shipped', 'picked up', 'pickup', 'departed', 'arrived', 'out for delivery', 'en route', 'dispatched', 'on the way', 'at hub', 'customs cleared'],
  delivered: ['complete', 'completed', 'pod', 'proof of delivery', 'received'],
  exception: ['delayed', 'delay', 'damaged', 'lost', 'held', 'on hold', 'hold', 'refused', 'returned', 'failed delivery', 'customs hold'],
  cancelled: ['canceled', 'cancel', 'void', 'voided'],
});

export const CHARGE_TYPE_SYNONYMS = synonyms<ChargeType>({
  linehaul: ['line haul', 'freight', 'base', 'base rate', 'transportation', 'lh'],
  fuel: ['fuel surcharge', 'fsc', 'fuel sur', 'baf', 'bunker'],
  accessorial: ['accessorials', 'acc', 'accessory', 'surcharge'],
  tax: ['vat', 'gst', 'sales tax', 'duty', 'duties'],
  other: ['misc', 'miscellaneous'],
});

export const RATE_BASIS_SYNONYMS = synonyms<RateBasis>({
  flat: ['flat rate', 'fixed', 'lump sum', 'per shipment', 'per load', 'per trip'],
  per_kg: ['per kg', 'perkg', 'kg', '/kg', 'per kilo', 'per kilogram'],
  accessorial: ['accessorials', 'acc'],
});

/** Texts that mean "nothing here" in any optional column. */
const EMPTY_TOKENS = new Set(['n/a', 'na', 'n.a.', 'n a', 'none', 'null', 'nil', 'nan', '-', '--', '—', '–', '?', 'tbd', 'tba', '#n/a']);

/** The first characters of the tokens, either case: any other cell is decided without lower-casing it. */
const EMPTY_TOKEN_STARTS = new Set([...EMPTY_TOKENS].flatMap((t) => [t[0], t[0].toUpperCase()]));

/** True for an optional cell that holds no value: blank or a placeholder token such as N/A. */
export function isEmptyToken(s: string): boolean {
  return s === '' || (s.length <= 5 && EMPTY_TOKEN_STARTS.has(s[0]) && EMPTY_TOKENS.has(s.toLowerCase()));
}

/**
 * Placeholder texts of real exports that stand where a number or a date should be: `N/A - From RDC`,
 * `Freight Included in Commodity Cost`, `Invoiced Separately`, `Weight Captured Separately`,
 * `See DN-304 (ID#:10589)`, `See ASN-93 (ID#:1281)`, `Date Not Captured`, `Pre-PQ Process`, ...
 * They become empty (the value lives elsewhere or was never recorded), not a rejection.
 */
const PLACEHOLDER_PHRASES =
  /^(?:n\/a\b|see\s|refer to\s|included\b|not\s(?:captured|available|applicable|recorded|known)|unknown|pending\b|pre-pq\b)|\b(?:included in|separately|not captured|not recorded|not available)\b/i;

export function isPlaceholder(s: string): boolean {
  const c = s.charCodeAt(0);
  // A cell starting with a digit is a value (the common case, decided without a regex).
  if (c >= 48 && c <= 57) return false;
  return isEmptyToken(s) || (!/^[\d$€£+\-.]/.test(s) && PLACEHOLDER_PHRASES.test(s));
}

const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const GROUPED_NUMBER = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/** A decimal number as exports write it: `1234.5`, `1,234.50`, `$1,234.50`, `-12`; undefined if it is not one. */
export function parseNumber(raw: string): number | undefined {
  let s = raw;
  if (!PLAIN_NUMBER.test(s)) {
    s = s.replace(/^([-+]?)\s*[$€£]\s*/, '$1');
    if (GROUPED_NUMBER.test(s)) s = s.replace(/,/g, '');
    if (!PLAIN_NUMBER.test(s)) return undefined;
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]) return false;
  return !(m === 2 && d === 29 && (y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0)));
}

/** The decimal number written in s[from, to), or -1 if a character there is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function ymd(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** `YYYY-MM-DD`, optionally followed by a time (`2026-01-05 00:00:00`, as spreadsheets export dates). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseIsoDate(s: string): string | undefined {
  // Fast path for the common exact form: no regex, and the string itself is the result.
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10);
    if (y >= 0 && mo >= 0 && d >= 0) return validYmd(y, mo, d) ? s : undefined;
  }
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const y = +m[1], mo = +m[2], d = +m[3];
  return validYmd(y, mo, d) ? ymd(y, mo, d) : undefined;
}

/**
 * Reads date cells: `YYYY-MM-DD` always, and the date-fns `pattern` (e.g. `d-MMM-yy`, `M/d/yyyy`)
 * when one is given. Two-digit years are read relative to `referenceDate` (within 50 years of it).
 * Distinct values are few in a file, so results are memoised (bounded).
 */
export class DateReader {
  private readonly cache = new Map<string, string | null>();
  private readonly reference: Date;

  constructor(
    readonly pattern: string | undefined,
    referenceDate: string,
  ) {
    const r = parseIsoDate(referenceDate) ?? '2000-01-01';
    this.reference = new Date(+r.slice(0, 4), +r.slice(5, 7) - 1, +r.slice(8, 10), 12);
  }

  /** What a person should write, for messages. */
  get expected(): string {
    return this.pattern ? this.pattern : 'YYYY-MM-DD';
  }

  read(s: string): string | undefined {
    if (!this.pattern) return parseIsoDate(s);
    const hit = this.cache.get(s);
    if (hit !== undefined) return hit ?? undefined;
    const value = this.readWithPattern(s) ?? parseIsoDate(s) ?? null;
    if (this.cache.size >= 20_000) this.cache.clear();
    this.cache.set(s, value);
    return value ?? undefined;
  }

  private readWithPattern(s: string): string | undefined {
    let d: Date;
    try {
      d = parseWithPattern(s, this.pattern!, this.reference);
    } catch {
      return undefined;
    }
    if (!isValid(d)) return undefined;
    const y = d.getFullYear(), m = d.getMonth() + 1, day = d.getDate();
    return validYmd(y, m, day) ? ymd(y, m, day) : undefined;
  }
}

export interface Instant {
  /** UTC, in the form Sequelize stores DATE columns on SQLite (sorts as text): `2026-03-01 14:05:00.000 +00:00`. */
  utc: string;
  /** The calendar date as written (the local date where it happened). */
  date: string;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An ISO 8601 time (`2026-03-01T14:05:00Z`, `2026-03-01 09:05-05:00`, `2026-03-01`); no offset means UTC. */
export function parseInstant(s: string): Instant | undefined {
  const m = ISO_INSTANT.exec(s);
  if (!m) return undefined;
  const y = +m[1], mo = +m[2], d = +m[3];
  const h = m[4] ? +m[4] : 0, mi = m[5] ? +m[5] : 0, sec = m[6] ? +m[6] : 0;
  const ms = m[7] ? Math.floor(+m[7].padEnd(3, '0').slice(0, 3)) : 0;
  if (!validYmd(y, mo, d) || h > 24 || mi > 59 || sec > 60 || (h === 24 && (mi || sec || ms))) return undefined;
  let offsetMin = 0;
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2), om = digits.length > 2 ? +digits.slice(2, 4) : 0;
    if (oh > 18 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms) - offsetMin * 60_000;
  return { utc: formatUtc(t), date: ymd(y, mo, d) };
}

/** The instant in Sequelize's SQLite DATE form, which PostgreSQL reads as timestamptz too. */
export function formatUtc(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} +00:00`;
}

/** Reads a time with a date-fns pattern (`M/d/yyyy H:mm`), taken as UTC. */
export function parseInstantWithPattern(s: string, pattern: string, referenceDate: string): Instant | undefined {
  const r = parseIsoDate(referenceDate) ?? '2000-01-01';
  let d: Date;
  try {
    d = parseWithPattern(s, pattern, new Date(+r.slice(0, 4), +r.slice(5, 7) - 1, +r.slice(8, 10), 12));
  } catch {
    return undefined;
  }
  if (!isValid(d) || !validYmd(d.getFullYear(), d.getMonth() + 1, d.getDate())) return undefined;
  const t = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return { utc: formatUtc(t), date: ymd(d.getFullYear(), d.getMonth() + 1, d.getDate()) };
}

/** ISO 4217 code (upper-cased), or undefined. */
export function parseCurrency(s: string): string | undefined {
  if (/^[A-Z]{3}$/.test(s)) return s;
  return /^[A-Za-z]{3}$/.test(s) ? s.toUpperCase() : undefined;
}

/** Money as stored (DECIMAL(14,2)): rounded to cents, half away from zero. */
export function roundCents(n: number): number {
  const r = Math.round(Math.abs(n) * 100 + 1e-9) / 100;
  return n < 0 ? -r : r;
}

