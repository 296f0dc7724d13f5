import type { DayOfWeek, Frequency, Report } from '../nlu/types';

const DOW: Record<DayOfWeek, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };

/** The node-cron expression (minute hour day-of-month month day-of-week) of a digest schedule. */
export function cronFor(s: { frequency: Frequency; time: string; dayOfWeek?: DayOfWeek; dayOfMonth?: number }): string {
  const [h, m] = s.time.split(':').map(Number);
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || h > 23 || m < 0 || m > 59) throw new Error(`bad time ${s.time}`);
  switch (s.frequency) {
    case 'daily':
      return `${m} ${h} * * *`;
    case 'weekdays':
      return `${m} ${h} * * 1-5`;
    case 'weekly':
      return `${m} ${h} * * ${DOW[s.dayOfWeek ?? 'monday']}`;
    case 'monthly':
      return `${m} ${h} ${s.dayOfMonth ?? 1} * *`;
  }
}

export const REPORT_LABELS: Record<Report, string> = {
  kpi_digest: 'KPI digest',
  exceptions: 'exceptions report',
  invoice_audit: 'invoice audit',
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "every weekday at 08:00 (UTC)", "every Monday at 07:30 (Europe/Berlin)". */
export function scheduleText(s: { frequency: Frequency; time: string; dayOfWeek?: DayOfWeek; dayOfMonth?: number; timeZone: string }): string {
  const when =
    s.frequency === 'daily' ? 'every day'
    : s.frequency === 'weekdays' ? 'every weekday'
    : s.frequency === 'weekly' ? `every ${cap(s.dayOfWeek ?? 'monday')}`
    : `on day ${s.dayOfMonth ?? 1} of every month`;
  return `${when} at ${s.time} (${s.timeZone})`;
}
