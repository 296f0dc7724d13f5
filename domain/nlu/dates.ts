/**
 * Dates and periods (nlu.md "Dates" and "Fine points"), read from tokens by hand-written scanning.
 *
 * A single day is kept unresolved until the intent is known: for pickup/delivery it is its next
 * occurrence, inside a period its most recent one. Periods resolve at once (they are always past).
 */
import { addMonths, dayNumber, daysInMonth, isValidDate, mondayOf, toYmd, weekday, type DayRange } from './calendar';
import { MONTHS, MONTH_AMBIGUOUS, NUMBER_WORDS, WEEKDAYS, WEEKDAY_AMBIGUOUS, wordTable } from './lexicon';
import type { Token } from './tokens';

export type DateMode = 'future' | 'past';

export interface DayExpr {
  /** Token range [s, e). */
  s: number;
  e: number;
  resolve(mode: DateMode): number;
  /** The weekday named, when the expression is a (qualified) weekday. */
  dow?: number;
}

export interface DateMention {
  s: number;
  e: number;
  /** A single day (unresolved). */
  day?: DayExpr;
  /** A period (resolved). */
  range?: DayRange;
}

const PERIOD_UNITS: Record<string, 'day' | 'week' | 'month' | 'quarter' | 'year'> = wordTable({
  day: 'day', days: 'day', week: 'week', weeks: 'week', month: 'month', months: 'month', quarter: 'quarter', quarters: 'quarter',
  year: 'year', years: 'year', d: 'day', w: 'week', m: 'month', q: 'quarter', y: 'year', wk: 'week', wks: 'week', mos: 'month',
  businessdays: 'day',
});

const RANGE_SEPARATORS = new Set(['to', 'till', 'til', 'until', 'through', 'thru', '-', 'and', 'up']);

function ordinalDay(t: Token | undefined): number | undefined {
  if (!t) return undefined;
  const l = t.l;
  let digits = l;
  if (t.k === 'w') {
    const suf = l.slice(-2);
    if (suf !== 'st' && suf !== 'nd' && suf !== 'rd' && suf !== 'th') return undefined;
    digits = l.slice(0, -2);
  } else if (t.k !== 'n') return undefined;
  if (digits.length === 0 || digits.length > 2) return undefined;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const d = Number(digits);
  return d >= 1 && d <= 31 ? d : undefined;
}

function isOrdinalWord(t: Token | undefined): boolean {
  return !!t && t.k === 'w' && /^\d{1,2}(st|nd|rd|th)$/.test(t.l);
}

function yearAt(toks: Token[], i: number): { y: number; e: number } | undefined {
  const t = toks[i];
  if (!t) return undefined;
  if (t.k === 'n' && /^(19|20)\d\d$/.test(t.l)) return { y: Number(t.l), e: i + 1 };
  if (t.k === 'p' && t.t === "'" && toks[i + 1]?.k === 'n' && /^\d\d$/.test(toks[i + 1].l) && !toks[i + 1].sp) {
    return { y: 2000 + Number(toks[i + 1].l), e: i + 2 };
  }
  return undefined;
}

function smallNumber(t: Token | undefined): number | undefined {
  if (!t) return undefined;
  if (t.k === 'n' && /^\d{1,3}$/.test(t.l)) return Number(t.l);
  if (t.k === 'w') {
    const v = NUMBER_WORDS[t.n];
    if (v !== undefined && t.n !== 'dozen' && t.n !== 'hundred' && t.n !== 'single') return v;
  }
  return undefined;
}

export class DateScanner {
  readonly todayY: number;
  readonly todayM: number;
  readonly todayD: number;

  constructor(
    private readonly toks: Token[],
    readonly today: number,
  ) {
    const t = toYmd(today);
    this.todayY = t.y;
    this.todayM = t.m;
    this.todayD = t.d;
  }

  private n(i: number): string {
    return this.toks[i]?.n ?? '';
  }

  // --- words ---------------------------------------------------------------------------------

  weekdayAt(i: number): number | undefined {
    const t = this.toks[i];
    if (!t || t.k !== 'w') return undefined;
    const d = WEEKDAYS[t.l] ?? WEEKDAYS[t.n];
    if (d === undefined) return undefined;
    if (WEEKDAY_AMBIGUOUS.has(t.l)) {
      const prev = this.n(i - 1);
      const ok = (t.cap && !t.ss) || t.up || ['on', 'by', 'every', 'each', 'next', 'this', 'last', 'since', 'until', 'from', 'till', 'before', 'for', 'due', 'pickup', 'deliver'].includes(prev);
      if (!ok) return undefined;
      // "sat on the dock" / "sun is out": still ambiguous with a following preposition.
      if (!t.cap && ['on', 'in', 'at', 'is', 'was'].includes(this.n(i + 1))) return undefined;
    }
    return d;
  }

  monthAt(i: number, loose = false): number | undefined {
    const t = this.toks[i];
    if (!t || t.k !== 'w') return undefined;
    const m = MONTHS[t.l] ?? MONTHS[t.n];
    if (m === undefined) return undefined;
    if (!MONTH_AMBIGUOUS.has(t.l)) return m;
    // Ambiguous words (may, march, jan...): need a date context.
    const next = this.toks[i + 1];
    const nextIsDay = next !== undefined && ordinalDay(next) !== undefined && (next.k === 'n' ? !/[/:]/.test(next.l) : true);
    if (nextIsDay || yearAt(this.toks, i + 1)) return m;
    if (next && next.t === '.' && ordinalDay(this.toks[i + 2]) !== undefined) return m;
    const prev = this.n(i - 1);
    if (ordinalDay(this.toks[i - 1]) !== undefined || prev === 'of' && ordinalDay(this.toks[i - 2]) !== undefined) return m;
    const preps = ['in', 'since', 'for', 'during', 'of', 'from', 'until', 'through', 'thru', 'till', 'before', 'after', 'between', 'and', 'last', 'this', 'early', 'late', 'mid', 'end', 'whole', 'all', 'entire', 'to'];
    if (preps.includes(prev)) {
      if (t.l === 'may' && !t.cap && ['i', 'we', 'you', 'be', 'have'].includes(this.n(i + 1))) return undefined;
      return m;
    }
    if (loose || (t.cap && !t.ss && t.l !== 'may')) return m;
    if (t.l === 'march' && t.ss && (this.toks.length === i + 1 || this.n(i + 1) === 'shipments' || this.n(i + 1) === 'invoices')) return m;
    return undefined;
  }

  private unitAt(i: number): 'day' | 'week' | 'month' | 'quarter' | 'year' | undefined {
    const t = this.toks[i];
    if (!t || t.k !== 'w') return undefined;
    if (t.n === 'business' || t.n === 'working' || t.n === 'calendar') {
      const u = PERIOD_UNITS[this.n(i + 1)];
      return u === 'day' ? 'day' : undefined;
    }
    return PERIOD_UNITS[t.n];
  }

  private unitLen(i: number): number {
    const t = this.n(i);
    return t === 'business' || t === 'working' || t === 'calendar' ? 2 : 1;
  }

  // --- single days ---------------------------------------------------------------------------

  /** A month and day (and maybe year) resolved either way. */
  private monthDay(m: number, d: number, y: number | undefined): ((mode: DateMode) => number) | undefined {
    if (y !== undefined) {
      if (!isValidDate(y, m, d)) return undefined;
      const v = dayNumber(y, m, d);
      return () => v;
    }
    if (d < 1 || d > 31 || (m === 2 && d > 29) || d > daysInMonth(2024, m)) return undefined;
    const today = this.today;
    const y0 = this.todayY;
    return (mode) => {
      if (mode === 'future') {
        for (let yy = y0; yy <= y0 + 8; yy++) if (isValidDate(yy, m, d) && dayNumber(yy, m, d) >= today) return dayNumber(yy, m, d);
      } else {
        for (let yy = y0; yy >= y0 - 8; yy--) if (isValidDate(yy, m, d) && dayNumber(yy, m, d) <= today) return dayNumber(yy, m, d);
      }
      return dayNumber(y0, m, Math.min(d, daysInMonth(y0, m)));
    };
  }

  /** A weekday with an optional qualifier. */
  private weekdayDay(dow: number, qual: 'this' | 'next' | 'last' | 'coming' | null): (mode: DateMode) => number {
    const today = this.today;
    const monday = mondayOf(today);
    const offset = (dow + 6) % 7; // Monday 0 .. Sunday 6
    switch (qual) {
      case 'this':
        return () => monday + offset;
      case 'next':
        return () => monday + 7 + offset;
      case 'last':
        return () => monday - 7 + offset;
      case 'coming':
        return () => today + (((dow - weekday(today) + 7) % 7) || 7);
      default:
        return (mode) =>
          mode === 'future' ? today + (((dow - weekday(today) + 7) % 7) || 7) : today - ((weekday(today) - dow + 7) % 7);
    }
  }

  private fixed(v: number): (mode: DateMode) => number {
    return () => v;
  }

  /** A numeric date token: 3/25, 3/25/2026, 3/25/26, 2026-03-25, 2026/03/25. */
  private numericDate(t: Token): ((mode: DateMode) => number) | undefined {
    if (t.k !== 'n') return undefined;
    const l = t.l;
    if (l.length < 3 || l.length > 10) return undefined;
    const sep = l.indexOf('/') >= 0 ? '/' : l.indexOf('-') >= 0 ? '-' : '';
    if (!sep) return undefined;
    const parts = l.split(sep);
    if (parts.some((p) => p === '' || !/^\d+$/.test(p))) return undefined;
    if (parts.length === 3 && parts[0].length === 4) {
      return this.monthDay(Number(parts[1]), Number(parts[2]), Number(parts[0]));
    }
    if (sep !== '/') return undefined;
    if (parts.length === 2 && parts[0].length <= 2 && parts[1].length <= 2) {
      const m = Number(parts[0]);
      const d = Number(parts[1]);
      if (m < 1 || m > 12) return undefined;
      return this.monthDay(m, d, undefined);
    }
    if (parts.length === 3 && parts[0].length <= 2 && parts[1].length <= 2 && (parts[2].length === 2 || parts[2].length === 4)) {
      const y = parts[2].length === 2 ? 2000 + Number(parts[2]) : Number(parts[2]);
      return this.monthDay(Number(parts[0]), Number(parts[1]), y);
    }
    return undefined;
  }

  /** A single day starting at token i (a weekday may be followed by its date: "Friday 3/20"). */
  parseDay(i: number, afterWeekday = false): DayExpr | undefined {
    const toks = this.toks;
    const t = toks[i];
    if (!t) return undefined;
    const w = t.n;
    const today = this.today;
    if (t.k === 'n') {
      const f = this.numericDate(t);
      if (f) return { s: i, e: i + 1, resolve: f };
    }
    if (t.k === 'p') return undefined;
    switch (t.k === 'w' ? w : '') {
      case 'today':
      case 'tonight':
        return { s: i, e: i + 1, resolve: this.fixed(today) };
      case 'tomorrow':
        return { s: i, e: i + 1, resolve: this.fixed(today + 1) };
      case 'yesterday':
        return { s: i, e: i + 1, resolve: this.fixed(today - 1) };
      case 'day':
        if (this.n(i + 1) === 'after' && this.n(i + 2) === 'tomorrow') return { s: i, e: i + 3, resolve: this.fixed(today + 2) };
        if (this.n(i + 1) === 'before' && this.n(i + 2) === 'yesterday') return { s: i, e: i + 3, resolve: this.fixed(today - 2) };
        break;
      case 'the':
        if (this.n(i + 1) === 'day' && this.n(i + 2) === 'after' && this.n(i + 3) === 'tomorrow') return { s: i, e: i + 4, resolve: this.fixed(today + 2) };
        break;
      case 'now':
        break;
      case 'end':
      case 'close': {
        // end of (the) day / week / next week / month
        if (this.n(i + 1) !== 'of') break;
        let j = i + 2;
        if (this.n(j) === 'the') j++;
        const what = this.n(j);
        if (what === 'day') return { s: i, e: j + 1, resolve: this.fixed(today) };
        if (what === 'week') return { s: i, e: j + 1, resolve: this.fixed(mondayOf(today) + 4) };
        if (what === 'next' && this.n(j + 1) === 'week') return { s: i, e: j + 2, resolve: this.fixed(mondayOf(today) + 11) };
        if (what === 'month') {
          return { s: i, e: j + 1, resolve: this.fixed(dayNumber(this.todayY, this.todayM, daysInMonth(this.todayY, this.todayM))) };
        }
        break;
      }
      case 'this':
      case 'next':
      case 'last':
      case 'previous':
      case 'prior':
      case 'coming':
      case 'past': {
        let j = i + 1;
        let qual: 'this' | 'next' | 'last' | 'coming' = w === 'this' ? 'this' : w === 'next' ? 'next' : w === 'coming' ? 'coming' : 'last';
        if (w === 'this' && this.n(j) === 'coming') {
          qual = 'coming';
          j++;
        }
        const dow = this.weekdayAt(j);
        if (dow !== undefined) return { s: i, e: j + 1, resolve: this.weekdayDay(dow, qual), dow };
        if (w === 'this' && ['morning', 'afternoon', 'evening'].includes(this.n(j))) return { s: i, e: j + 1, resolve: this.fixed(today) };
        if (w === 'last' && this.n(j) === 'night') return { s: i, e: j + 1, resolve: this.fixed(today - 1) };
        break;
      }
      case 'in': {
        // in 3 days / in 2 weeks / in a week / in a couple of days
        let j = i + 1;
        let k: number | undefined;
        if (this.n(j) === 'a' && this.n(j + 1) === 'couple' && this.n(j + 2) === 'of') {
          k = 2;
          j += 3;
        } else {
          k = smallNumber(toks[j]);
          j++;
        }
        const u = this.unitAt(j);
        if (k !== undefined && (u === 'day' || u === 'week')) {
          const e = j + this.unitLen(j);
          return { s: i, e, resolve: this.fixed(today + k * (u === 'week' ? 7 : 1)) };
        }
        break;
      }
    }
    // N days from now / N days ago / a week from today
    const k = smallNumber(t);
    if (k !== undefined) {
      const u = this.unitAt(i + 1);
      if (u === 'day' || u === 'week') {
        const j = i + 1 + this.unitLen(i + 1);
        const mult = u === 'week' ? 7 : 1;
        if (this.n(j) === 'ago') return { s: i, e: j + 1, resolve: this.fixed(today - k * mult) };
        if (this.n(j) === 'from' && ['now', 'today'].includes(this.n(j + 1))) return { s: i, e: j + 2, resolve: this.fixed(today + k * mult) };
      }
    }
    // Weekday, maybe followed by "next week" / "this week" / an explicit date.
    const dow = afterWeekday ? undefined : this.weekdayAt(i);
    if (dow !== undefined) {
      let j = i + 1;
      if (toks[j]?.t === ',' && toks[j + 1]) j++;
      const explicit = this.parseDay(j, true);
      if (explicit && explicit.dow === undefined && j > i) return { s: i, e: explicit.e, resolve: explicit.resolve };
      const after = this.n(i + 1);
      if ((after === 'next' || after === 'this' || after === 'last') && this.n(i + 2) === 'week') {
        return { s: i, e: i + 3, resolve: this.weekdayDay(dow, after as 'next' | 'this' | 'last'), dow };
      }
      return { s: i, e: i + 1, resolve: this.weekdayDay(dow, null), dow };
    }
    // Month name + day (+ year): March 25, Mar. 25th, March 25, 2026
    const m = this.monthAt(i);
    if (m !== undefined) {
      let j = i + 1;
      if (toks[j]?.t === '.') j++;
      if (this.n(j) === 'the') j++;
      const d = ordinalDay(toks[j]);
      if (d !== undefined && !(toks[j].k === 'n' && /[/:.,-]/.test(toks[j].l))) {
        j++;
        let y: number | undefined;
        let e = j;
        const jy = toks[j]?.t === ',' ? j + 1 : j;
        const yr = yearAt(toks, jy);
        if (yr) {
          y = yr.y;
          e = yr.e;
        }
        const f = this.monthDay(m, d, y);
        if (f) return { s: i, e, resolve: f };
      }
      return undefined;
    }
    // Day + month: 25 March, 25th of March, the 25th of March
    let j = i;
    if (w === 'the') j++;
    const d = ordinalDay(toks[j]);
    if (d !== undefined && (toks[j].k === 'w' || /^\d{1,2}$/.test(toks[j].l))) {
      let jm = j + 1;
      if (this.n(jm) === 'of') jm++;
      const mm = this.monthAt(jm, true);
      if (mm !== undefined && (jm === j + 1 || isOrdinalWord(toks[j]) || w === 'the')) {
        let e = jm + 1;
        let y: number | undefined;
        const jy = toks[e]?.t === ',' ? e + 1 : e;
        const yr = yearAt(toks, jy);
        if (yr) {
          y = yr.y;
          e = yr.e;
        }
        const f = this.monthDay(mm, d, y);
        if (f) return { s: i, e, resolve: f };
      }
      // "the 25th": a day of the month
      if (w === 'the' && isOrdinalWord(toks[j])) {
        const ty = this.todayY;
        const tm = this.todayM;
        const today2 = this.today;
        return {
          s: i,
          e: j + 1,
          resolve: (mode) => {
            for (let k2 = 0; k2 < 14; k2++) {
              const total = ty * 12 + (tm - 1) + (mode === 'future' ? k2 : -k2);
              const yy = Math.floor(total / 12);
              const mo = (total % 12) + 1;
              if (d > daysInMonth(yy, mo)) continue;
              const v = dayNumber(yy, mo, d);
              if (mode === 'future' ? v >= today2 : v <= today2) return v;
            }
            return today2;
          },
        };
      }
    }
    return undefined;
  }

  // --- periods -------------------------------------------------------------------------------

  private quarterRange(q: number, y: number): DayRange {
    const from = dayNumber(y, (q - 1) * 3 + 1, 1);
    const endM = q * 3;
    let to = dayNumber(y, endM, daysInMonth(y, endM));
    if (to > this.today && from <= this.today) to = this.today;
    return { from, to };
  }

  /** The most recent Qn (the current one runs to today). */
  private recentQuarter(q: number, y?: number): DayRange {
    if (y !== undefined) return this.quarterRange(q, y);
    const curQ = Math.floor((this.todayM - 1) / 3) + 1;
    return this.quarterRange(q, q <= curQ ? this.todayY : this.todayY - 1);
  }

  private monthRange(m: number, y?: number): DayRange {
    let yy = y;
    if (yy === undefined) yy = m <= this.todayM ? this.todayY : this.todayY - 1;
    const from = dayNumber(yy, m, 1);
    let to = dayNumber(yy, m, daysInMonth(yy, m));
    if (to > this.today && from <= this.today) to = this.today;
    return { from, to };
  }

  private yearRange(y: number): DayRange {
    const from = dayNumber(y, 1, 1);
    let to = dayNumber(y, 12, 31);
    if (to > this.today && from <= this.today) to = this.today;
    return { from, to };
  }

  private currentPeriod(u: 'day' | 'week' | 'month' | 'quarter' | 'year'): DayRange {
    const today = this.today;
    switch (u) {
      case 'day':
        return { from: today, to: today };
      case 'week':
        return { from: mondayOf(today), to: today };
      case 'month':
        return { from: dayNumber(this.todayY, this.todayM, 1), to: today };
      case 'quarter':
        return { from: dayNumber(this.todayY, Math.floor((this.todayM - 1) / 3) * 3 + 1, 1), to: today };
      case 'year':
        return { from: dayNumber(this.todayY, 1, 1), to: today };
    }
  }

  private previousPeriod(u: 'day' | 'week' | 'month' | 'quarter' | 'year'): DayRange {
    const today = this.today;
    switch (u) {
      case 'day':
        return { from: today - 1, to: today - 1 };
      case 'week': {
        const mon = mondayOf(today) - 7;
        return { from: mon, to: mon + 6 };
      }
      case 'month': {
        const first = dayNumber(this.todayY, this.todayM, 1);
        const prev = toYmd(first - 1);
        return { from: dayNumber(prev.y, prev.m, 1), to: first - 1 };
      }
      case 'quarter': {
        const curQ = Math.floor((this.todayM - 1) / 3) + 1;
        return curQ === 1 ? this.quarterRange(4, this.todayY - 1) : this.quarterRange(curQ - 1, this.todayY);
      }
      case 'year':
        return this.yearRange(this.todayY - 1);
    }
  }

  private nextPeriod(u: 'day' | 'week' | 'month' | 'quarter' | 'year'): DayRange | undefined {
    const today = this.today;
    if (u === 'week') {
      const mon = mondayOf(today) + 7;
      return { from: mon, to: mon + 6 };
    }
    if (u === 'month') {
      const total = this.todayY * 12 + this.todayM; // next month, zero-based total
      const y = Math.floor(total / 12);
      const m = (total % 12) + 1;
      return { from: dayNumber(y, m, 1), to: dayNumber(y, m, daysInMonth(y, m)) };
    }
    if (u === 'day') return { from: today + 1, to: today + 1 };
    return undefined;
  }

  /** The last N units ending today. */
  private rolling(k: number, u: 'day' | 'week' | 'month' | 'quarter' | 'year'): DayRange {
    const today = this.today;
    switch (u) {
      case 'day':
        return { from: today - Math.max(k, 1) + 1, to: today };
      case 'week':
        return { from: today - 7 * k + 1, to: today };
      case 'month':
        return { from: addMonths(today, -k) + 1, to: today };
      case 'quarter':
        return { from: addMonths(today, -3 * k) + 1, to: today };
      case 'year':
        return { from: addMonths(today, -12 * k) + 1, to: today };
    }
  }

  /** A quarter reference at i: Q4, Q4 2025, Q4'25, fourth quarter, 2025 Q4. */
  private quarterAt(i: number): { q: number; e: number; y?: number } | undefined {
    const toks = this.toks;
    const t = toks[i];
    if (!t) return undefined;
    let q: number | undefined;
    let e = i + 1;
    if (t.k === 'w' && /^q[1-4]$/.test(t.l)) q = Number(t.l[1]);
    else if (t.k === 'w' && t.l === 'q' && toks[i + 1]?.k === 'n' && /^[1-4]$/.test(toks[i + 1].l) && !toks[i + 1].sp) {
      q = Number(toks[i + 1].l);
      e = i + 2;
    } else {
      const ord = wordTable<number>({ first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, last: 0 });
      let j = i;
      if (t.n === 'the') j++;
      const o = ord[this.n(j)];
      if (o !== undefined && o > 0 && this.n(j + 1) === 'quarter') {
        q = o;
        e = j + 2;
      }
    }
    if (q === undefined) return undefined;
    // optional year
    let j = e;
    if (this.n(j) === 'of' || toks[j]?.t === ',') j++;
    const yr = yearAt(toks, j);
    if (yr) return { q, e: yr.e, y: yr.y };
    if (this.n(j) === 'last' && this.n(j + 1) === 'year') return { q, e: j + 2, y: this.todayY - 1 };
    if (this.n(j) === 'this' && this.n(j + 1) === 'year') return { q, e: j + 2, y: this.todayY };
    return { q, e };
  }

  /** A period starting at token i. */
  parsePeriod(i: number): { range: DayRange; e: number } | undefined {
    const toks = this.toks;
    const t = toks[i];
    if (!t) return undefined;
    const w = t.n;
    // so far this week / so far this month
    if (w === 'so' && this.n(i + 1) === 'far' && this.n(i + 2) === 'this') {
      const u = this.unitAt(i + 3);
      if (u) return { range: this.currentPeriod(u), e: i + 4 };
    }
    // WTD / MTD / QTD / YTD
    switch (t.l) {
      case 'wtd':
        return { range: this.currentPeriod('week'), e: i + 1 };
      case 'mtd':
        return { range: this.currentPeriod('month'), e: i + 1 };
      case 'qtd':
        return { range: this.currentPeriod('quarter'), e: i + 1 };
      case 'ytd':
        return { range: this.currentPeriod('year'), e: i + 1 };
    }
    // week to date / month-to-date
    {
      const u = this.unitAt(i);
      if (u && u !== 'day' && this.n(i + 1) === 'to' && this.n(i + 2) === 'date') return { range: this.currentPeriod(u), e: i + 3 };
    }
    // "the" is optional before the qualifiers
    let j = i;
    if (w === 'the') j++;
    const q = this.n(j);
    if (q === 'this' || q === 'current' || q === 'present') {
      const u = this.unitAt(j + 1);
      if (u && u !== 'day') {
        let e = j + 2;
        if (this.n(e) === 'to' && this.n(e + 1) === 'date') e += 2;
        else if (this.n(e) === 'so' && this.n(e + 1) === 'far') e += 2;
        return { range: this.currentPeriod(u), e };
      }
      // this year / this Q
    }
    if (q === 'last' || q === 'past' || q === 'previous' || q === 'prior' || q === 'trailing' || q === 'rolling' || q === 'preceding') {
      let k = j + 1;
      // last 7 days / past 30 days / last two weeks / last couple of weeks
      let num = smallNumber(toks[k]);
      if (num !== undefined && toks[k].n !== 'a' && toks[k].n !== 'an') k++;
      else if (this.n(k) === 'couple' && this.n(k + 1) === 'of') {
        num = 2;
        k += 2;
      } else if (this.n(k) === 'few') {
        num = 3;
        k++;
      } else num = undefined;
      const u = this.unitAt(k);
      if (u) {
        const e = k + this.unitLen(k);
        if (num !== undefined) return { range: this.rolling(num, u), e };
        // past week = last 7 days; past month = last 30 days; last week = the calendar week.
        if (q === 'past' || q === 'trailing' || q === 'rolling') {
          if (u === 'week') return { range: this.rolling(7, 'day'), e };
          if (u === 'month') return { range: this.rolling(30, 'day'), e };
          if (u === 'day') return { range: this.rolling(1, 'day'), e };
          if (u === 'quarter') return { range: this.previousPeriod('quarter'), e };
          return { range: this.rolling(1, 'year'), e };
        }
        if (u === 'day') return { range: this.previousPeriod('day'), e };
        return { range: this.previousPeriod(u), e };
      }
      // last 24 hours
      if (num !== undefined && (this.n(k) === 'hours' || this.n(k) === 'hour')) return { range: { from: this.today - 1, to: this.today }, e: k + 1 };
    }
    if (q === 'next' || q === 'upcoming') {
      const u = this.unitAt(j + 1);
      if (u) {
        const r = this.nextPeriod(u);
        if (r) return { range: r, e: j + 2 };
      }
    }
    // Quarters: Q4, Q1 2025, the fourth quarter
    const qa = this.quarterAt(i);
    if (qa) return { range: this.recentQuarter(qa.q, qa.y), e: qa.e };
    // 2025 Q4
    const yq = yearAt(toks, i);
    if (yq) {
      const qa2 = this.quarterAt(yq.e);
      if (qa2) return { range: this.quarterRange(qa2.q, yq.y), e: qa2.e };
    }
    // since X
    if (w === 'since' || (w === 'starting' && ['from', 'on'].includes(this.n(i + 1))) || (w === 'from' && this.isSinceLike(i))) {
      const k = w === 'starting' ? i + 2 : i + 1;
      const sub = this.sinceStart(k);
      if (sub) return { range: { from: sub.from, to: this.today }, e: sub.e };
    }
    // between X and Y / from X to Y
    if (w === 'between' || w === 'from') {
      const r = this.rangeFrom(i + 1);
      if (r) return r;
    }
    // X - Y / X to Y / X through Y (two days)
    {
      const r = this.rangeFrom(i, true);
      if (r) return r;
    }
    // a single token range: 3/2-3/9
    if (t.k === 'n' && t.l.indexOf('/') > 0 && t.l.indexOf('-') > 0) {
      const parts = t.l.split('-');
      if (parts.length === 2) {
        const a = this.numericDate({ ...t, l: parts[0] });
        const b = this.numericDate({ ...t, l: parts[1] });
        if (a && b) {
          const from = a('past');
          let to = b('past');
          if (to < from) to = b('future');
          if (to >= from) return { range: { from, to }, e: i + 1 };
        }
      }
    }
    // Named month (not followed by a day): in January, Jan 2025, January of last year
    const m = this.monthAt(i);
    if (m !== undefined && ordinalDay(toks[i + 1]) === undefined) {
      let e = i + 1;
      let y: number | undefined;
      let jy = e;
      if (this.n(jy) === 'of' || toks[jy]?.t === ',') jy++;
      const yr = yearAt(toks, jy);
      if (yr) {
        y = yr.y;
        e = yr.e;
      } else if (this.n(jy) === 'last' && this.n(jy + 1) === 'year') {
        y = this.todayY - 1;
        e = jy + 2;
      } else if (this.n(jy) === 'this' && this.n(jy + 1) === 'year') {
        y = this.todayY;
        e = jy + 2;
      }
      // "last March" / "this March"
      return { range: this.monthRange(m, y), e };
    }
    if ((w === 'last' || w === 'this') && this.monthAt(i + 1, true) !== undefined && ordinalDay(toks[i + 2]) === undefined) {
      const mm = this.monthAt(i + 1, true)!;
      let y: number | undefined;
      if (w === 'last') y = mm < this.todayM ? this.todayY : this.todayY - 1;
      else y = this.todayY;
      if (w === 'last' && mm === this.todayM) y = this.todayY - 1;
      return { range: this.monthRange(mm, y), e: i + 2 };
    }
    // in 2025 / for 2025 / during 2025
    if (['in', 'for', 'during', 'of', 'throughout'].includes(w)) {
      const yr = yearAt(toks, i + 1);
      if (yr && !this.isQuantityAfter(yr.e)) return { range: this.yearRange(yr.y), e: yr.e };
    }
    // the whole/entire month of March
    return undefined;
  }

  private isQuantityAfter(i: number): boolean {
    const t = this.toks[i];
    return !!t && t.k === 'w' && /^(pallets?|cartons?|boxes|units?|lbs?|kgs?|pieces?|cases?|dollars?)$/.test(t.n);
  }

  private isSinceLike(i: number): boolean {
    // "from March 2 on" / "from Monday onwards"
    const d = this.parseDay(i + 1);
    if (!d) return false;
    const after = this.n(d.e);
    return after === 'on' || after === 'onwards' || after === 'onward';
  }

  /** The start of a "since ..." period. */
  private sinceStart(k: number): { from: number; e: number } | undefined {
    const toks = this.toks;
    let j = k;
    if (this.n(j) === 'the' && ['start', 'beginning'].includes(this.n(j + 1)) && this.n(j + 2) === 'of') {
      j += 3;
      if (this.n(j) === 'the' || this.n(j) === 'this') j++;
      const u = this.unitAt(j);
      if (u) return { from: this.currentPeriod(u).from, e: j + 1 };
      const m = this.monthAt(j, true);
      if (m !== undefined) return { from: this.monthRange(m).from, e: j + 1 };
      return undefined;
    }
    if (this.n(j) === 'last' || this.n(j) === 'previous') {
      const u = this.unitAt(j + 1);
      if (u) return { from: this.previousPeriod(u).from, e: j + 2 };
    }
    if (this.n(j) === 'this') {
      const u = this.unitAt(j + 1);
      if (u) return { from: this.currentPeriod(u).from, e: j + 2 };
    }
    const day = this.parseDay(j);
    if (day) {
      let e = day.e;
      if (['on', 'onwards', 'onward'].includes(this.n(e))) e++;
      return { from: day.resolve('past'), e };
    }
    const qa = this.quarterAt(j);
    if (qa) return { from: this.recentQuarter(qa.q, qa.y).from, e: qa.e };
    const m = this.monthAt(j, true);
    if (m !== undefined) {
      let y: number | undefined;
      let e = j + 1;
      const yr = yearAt(toks, e);
      if (yr) {
        y = yr.y;
        e = yr.e;
      }
      return { from: this.monthRange(m, y).from, e };
    }
    const yr = yearAt(toks, j);
    if (yr) return { from: dayNumber(yr.y, 1, 1), e: yr.e };
    return undefined;
  }

  /** Two days joined by a range word: "March 2 to March 9", "3/2 and 3/9", "March 2 - 9". */
  private rangeFrom(i: number, bare = false): { range: DayRange; e: number } | undefined {
    const a = this.parseDay(i);
    if (!a) return undefined;
    let j = a.e;
    const sepTok = this.toks[j];
    if (!sepTok) return undefined;
    const sep = sepTok.k === 'p' ? sepTok.t : sepTok.n;
    if (!RANGE_SEPARATORS.has(sep)) return undefined;
    if (bare && sep === 'and') return undefined;
    j++;
    if (sep === 'up' && this.n(j) === 'to') j++;
    let b = this.parseDay(j);
    if (!b) {
      // "March 2 to 9": the same month
      const d = ordinalDay(this.toks[j]);
      if (d !== undefined && this.toks[j].k !== 'n' ? true : d !== undefined && /^\d{1,2}$/.test(this.toks[j].l)) {
        const from = a.resolve('past');
        const fy = toYmd(from);
        if (d! <= daysInMonth(fy.y, fy.m) && d! >= fy.d) {
          const to = dayNumber(fy.y, fy.m, d!);
          return { range: { from, to }, e: j + 1 };
        }
      }
      if (this.n(j) === 'today' || this.n(j) === 'now' || this.n(j) === 'date') {
        return { range: { from: a.resolve('past'), to: this.today }, e: j + 1 };
      }
      return undefined;
    }
    b = b as DayExpr;
    const from = a.resolve('past');
    let to = b.resolve('past');
    if (to < from) to = b.resolve('future');
    if (to < from) return undefined;
    return { range: { from, to }, e: b.e };
  }

  /** Every date and period mention, left to right, longest first. */
  scan(skip?: Uint8Array): DateMention[] {
    const out: DateMention[] = [];
    const toks = this.toks;
    for (let i = 0; i < toks.length; i++) {
      if (skip && skip[i]) continue;
      const t = toks[i];
      if (t.k === 'p' && t.t !== "'") continue;
      const p = this.parsePeriod(i);
      if (p) {
        out.push({ s: i, e: p.e, range: p.range });
        i = p.e - 1;
        continue;
      }
      const d = this.parseDay(i);
      if (d) {
        out.push({ s: i, e: d.e, day: d });
        i = d.e - 1;
      }
    }
    return out;
  }
}
