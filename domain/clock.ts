/**
 * Business time. "Now" can be fixed (WAYBILL_NOW) so demos and tests are reproducible, and calendar
 * dates are always read in the business time zone (WAYBILL_TZ), never in the host's zone.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** The business time zone (IANA name). */
  readonly timeZone: string;
  /** Today's calendar date (YYYY-MM-DD) in the business time zone. */
  today(): string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the name is a time zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function calendarDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return formatterFor(timeZone).format(instant);
}

export function createClock(timeZone = 'UTC', fixedNow?: Date): Clock {
  return {
    timeZone,
    now: () => (fixedNow ? new Date(fixedNow.getTime()) : new Date()),
    today() {
      return calendarDate(this.now(), timeZone);
    },
  };
}
