import { addDays, daysBetween } from '../dates';

/**
 * Calendar dates as whole-day offsets from "today" (0 = today, -1 = yesterday): cheap integer
 * arithmetic in the generator's hot loops, turned into YYYY-MM-DD strings through a cache.
 */
export interface DayCalendar {
  readonly today: string;
  /** The YYYY-MM-DD date `offset` days from today. */
  ymd(offset: number): string;
  /** Day of the week of an offset: 0 Sunday .. 6 Saturday. */
  weekday(offset: number): number;
  /** The offset of a YYYY-MM-DD date. */
  offsetOf(ymd: string): number;
  addDays(ymd: string, days: number): string;
  addYears(ymd: string, years: number): string;
}

export function createCalendar(today: string): DayCalendar {
  const cache = new Map<number, string>();
  const base = Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10));
  const baseWeekday = new Date(base).getUTCDay();
  const ymd = (offset: number): string => {
    let s = cache.get(offset);
    if (s === undefined) {
      s = new Date(base + offset * 86_400_000).toISOString().slice(0, 10);
      cache.set(offset, s);
    }
    return s;
  };
  return {
    today,
    ymd,
    weekday: (offset) => (((baseWeekday + offset) % 7) + 7) % 7,
    offsetOf: (d) => daysBetween(today, d),
    addDays,
    addYears(d, years) {
      const y = +d.slice(0, 4) + years;
      const md = d.slice(5);
      // 29 February becomes 28 February in a common year.
      return md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? `${y}-02-28` : `${y}-${md}`;
    },
  };
}
