import { daysBetween } from '../domain/dates';
import type { Period } from '../domain/dates';
import type { ShipmentFilters } from '../domain/filters';
import type { ShipmentView, StoredStatus } from '../domain/repositories';
import type { Item, Status } from '../domain/nlu/types';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue 24 Nov 2026": unambiguous in every locale, with the weekday people plan by. */
export function day(ymd: string | null | undefined): string {
  if (!ymd) return '—';
  const [y, m, d] = ymd.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[wd]} ${d} ${MONTHS[m - 1]} ${y}`;
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-22 14:05 UTC" for event times (instants), in the business zone. */
export function instant(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let format = instantFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    instantFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function periodText(p: Period, today: string): string {
  if (p.from === p.to) {
    if (p.from === today) return 'today';
    if (daysBetween(p.from, today) === 1) return `yesterday (${day(p.from)})`;
    return day(p.from);
  }
  return `${day(p.from)} – ${day(p.to)}`;
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export function amount(n: number | null | undefined, currency = 'USD'): string {
  if (n === null || n === undefined) return '—';
  const sign = n < 0 ? '-' : '';
  return currency === 'USD' ? `${sign}$${money.format(Math.abs(n))}` : `${sign}${money.format(Math.abs(n))} ${currency}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export const STATUS_LABELS: Record<StoredStatus | Status, string> = {
  pending: 'Pending',
  in_transit: 'In transit',
  delivered: 'Delivered',
  delayed: 'Delayed',
  exception: 'Exception',
  cancelled: 'Cancelled',
};

export function items(list: Item[] | undefined): string {
  if (!list?.length) return '—';
  return list
    .map((i) => {
      const unit = i.quantity === 1 ? i.unit : `${i.unit}s`.replace(/xs$/, 'xes');
      const what = [i.description, i.sku ? `SKU ${i.sku}` : ''].filter(Boolean).join(', ');
      return `${count(i.quantity)} ${unit}${what ? ` of ${what}` : ''}`;
    })
    .join('; ');
}

/** How late (positive) or early (negative) a shipment is or was, in days; null when it cannot tell. */
export function lateness(s: ShipmentView, today: string): { days: number; settled: boolean } | null {
  if (!s.promisedDate) return null;
  if (s.deliveredDate) return { days: daysBetween(s.promisedDate, s.deliveredDate), settled: true };
  if (s.status === 'cancelled') return null;
  return { days: Math.max(0, daysBetween(s.promisedDate, today)), settled: false };
}

export function latenessText(s: ShipmentView, today: string): string {
  const l = lateness(s, today);
  if (!l) return '—';
  if (l.settled) {
    if (l.days === 0) return 'on time';
    return l.days > 0 ? `${plural(l.days, 'day')} late` : `${plural(-l.days, 'day')} early`;
  }
  return l.days > 0 ? `${plural(l.days, 'day')} overdue` : 'on schedule';
}

/** The status people should read: a shipment past its promised date and not delivered is delayed. */
export function effectiveStatus(s: ShipmentView, today: string): StoredStatus | 'delayed' {
  if (s.status === 'exception' || s.status === 'delivered' || s.status === 'cancelled') return s.status;
  if (s.promisedDate && s.promisedDate < today && !s.deliveredDate) return 'delayed';
  return s.status;
}

export function filtersText(f: ShipmentFilters): string {
  const out: string[] = [];
  if (f.customer) out.push(`for ${f.customer}`);
  if (f.carrier) out.push(`with ${f.carrier}`);
  if (f.origin) out.push(`from ${f.origin}`);
  if (f.destination) out.push(`to ${f.destination}`);
  return out.join(' ');
}

/** A short random token for confirmations and page cursors (not a secret: it only has to be unique). */
export function newToken(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
