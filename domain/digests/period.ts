import { addDays, type Period } from '../dates';
import type { Frequency } from '../nlu/types';

/**
 * The period a digest reports on, read from the calendar date of its run (in the subscription's
 * time zone): a daily or weekday digest covers yesterday, a weekly one the 7 days before the run,
 * a monthly one the previous calendar month. The run day itself is never included: it is not over.
 */
export function digestPeriod(frequency: Frequency, runDate: string): Period {
  switch (frequency) {
    case 'daily':
    case 'weekdays': {
      const y = addDays(runDate, -1);
      return { from: y, to: y };
    }
    case 'weekly':
      return { from: addDays(runDate, -7), to: addDays(runDate, -1) };
    case 'monthly': {
      const [y, m] = runDate.split('-').map(Number);
      const first = `${y}-${String(m).padStart(2, '0')}-01`;
      const lastOfPrevious = addDays(first, -1);
      return { from: `${lastOfPrevious.slice(0, 7)}-01`, to: lastOfPrevious };
    }
  }
}
