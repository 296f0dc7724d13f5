/** Calendar-date arithmetic on YYYY-MM-DD strings (no time zone involved: these are dates, not instants). */

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isYmd(s: string): boolean {
  const m = YMD.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function ymdToUtc(s: string): Date {
  const m = YMD.exec(s);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${s}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
}

export function utcToYmd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(ymd: string, days: number): string {
  const d = ymdToUtc(ymd);
  d.setUTCDate(d.getUTCDate() + days);
  return utcToYmd(d);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((ymdToUtc(b).getTime() - ymdToUtc(a).getTime()) / 86_400_000);
}

export interface Period {
  from: string;
  to: string;
}

/** The period of equal length that ends the day before `p` starts (for deltas). */
export function previousPeriod(p: Period): Period {
  const len = daysBetween(p.from, p.to) + 1;
  return { from: addDays(p.from, -len), to: addDays(p.from, -1) };
}

/**
 * A DATEONLY value read from either database as YYYY-MM-DD: SQLite gives text; node-postgres gives
 * text through Sequelize models but a Date at LOCAL midnight for raw DATE columns, so the local
 * calendar fields are the stored date.
 */
export function dateOnly(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())}`;
  }
  return String(v).slice(0, 10);
}
