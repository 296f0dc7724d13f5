/** Calendar arithmetic on day numbers (days since 1970-01-01), the unit the date parser works in. */

const MS_PER_DAY = 86_400_000;

export function dayNumber(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export function toYmd(day: number): Ymd {
  const dt = new Date(day * MS_PER_DAY);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export function formatDay(day: number): string {
  const { y, m, d } = toYmd(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Day of week, 0 = Sunday .. 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The Monday of the (Monday-start) week of a day. */
export function mondayOf(day: number): number {
  return day - ((weekday(day) + 6) % 7);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function isValidDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && y >= 1900 && y <= 2200;
}

/** The same day of month N months later (clamped to the month's last day). */
export function addMonths(day: number, months: number): number {
  const { y, m, d } = toYmd(day);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return dayNumber(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Parses YYYY-MM-DD into a day number (no validation beyond shape). */
export function parseYmd(s: string): number {
  return dayNumber(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
}

export interface DayRange {
  from: number;
  to: number;
}
