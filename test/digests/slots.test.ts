import { dueSlot, isValidCron, nextSlot, previousSlot } from '../../bot/scheduler/slots';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

describe('cron slots in a time zone', () => {
  it('previous slot is at or before now; next is strictly after', () => {
    expect(iso(previousSlot('0 8 * * *', 'UTC', at('2026-03-18T08:00:00Z')))).toBe('2026-03-18T08:00:00.000Z');
    expect(iso(previousSlot('0 8 * * *', 'UTC', at('2026-03-18T08:00:00.900Z')))).toBe('2026-03-18T08:00:00.000Z');
    expect(iso(previousSlot('0 8 * * *', 'UTC', at('2026-03-18T07:59:59.999Z')))).toBe('2026-03-17T08:00:00.000Z');
    expect(iso(nextSlot('0 8 * * *', 'UTC', at('2026-03-18T08:00:00Z')))).toBe('2026-03-19T08:00:00.000Z');
  });

  it('weekdays skip the weekend; weekly and monthly land on their day', () => {
    // Saturday 2026-03-21: the last weekday slot was Friday.
    expect(iso(previousSlot('0 8 * * 1-5', 'UTC', at('2026-03-21T12:00:00Z')))).toBe('2026-03-20T08:00:00.000Z');
    expect(iso(nextSlot('0 8 * * 1-5', 'UTC', at('2026-03-21T12:00:00Z')))).toBe('2026-03-23T08:00:00.000Z');
    expect(iso(nextSlot('30 7 * * 1', 'UTC', at('2026-03-18T00:00:00Z')))).toBe('2026-03-23T07:30:00.000Z');
    expect(iso(nextSlot('0 8 1 * *', 'UTC', at('2026-03-18T00:00:00Z')))).toBe('2026-04-01T08:00:00.000Z');
  });

  it('reads the hours in the subscription zone', () => {
    // 08:00 in Berlin is 07:00Z in winter (CET) and 06:00Z in summer (CEST).
    expect(iso(nextSlot('0 8 * * *', 'Europe/Berlin', at('2026-03-18T00:00:00Z')))).toBe('2026-03-18T07:00:00.000Z');
    expect(iso(nextSlot('0 8 * * *', 'Europe/Berlin', at('2026-07-01T00:00:00Z')))).toBe('2026-07-01T06:00:00.000Z');
    expect(iso(nextSlot('0 8 * * *', 'America/New_York', at('2026-03-18T00:00:00Z')))).toBe('2026-03-18T12:00:00.000Z');
  });

  it('DST: the day clocks go forward, and back, a daily digest posts once at its local time', () => {
    // Europe/Berlin springs forward on 2026-03-29 (02:00 -> 03:00): 08:00 is then 06:00Z.
    expect(iso(nextSlot('0 8 * * *', 'Europe/Berlin', at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T06:00:00.000Z');
    // It falls back on 2026-10-25: 08:00 is then 07:00Z, and the next day too.
    expect(iso(nextSlot('0 8 * * *', 'Europe/Berlin', at('2026-10-24T12:00:00Z')))).toBe('2026-10-25T07:00:00.000Z');
    expect(iso(nextSlot('0 8 * * *', 'Europe/Berlin', at('2026-10-25T07:00:00Z')))).toBe('2026-10-26T07:00:00.000Z');
    // 02:30 does not exist on 2026-03-29 in Berlin: that day's run comes after the gap, once.
    const first = nextSlot('30 2 * * *', 'Europe/Berlin', at('2026-03-28T12:00:00Z'));
    const second = nextSlot('30 2 * * *', 'Europe/Berlin', first);
    expect(first.getTime()).toBeGreaterThanOrEqual(at('2026-03-29T01:00:00Z').getTime());
    expect(first.getTime()).toBeLessThan(at('2026-03-29T02:00:00Z').getTime());
    expect(iso(second)).toBe('2026-03-30T00:30:00.000Z');
  });

  it('a missed slot is due only within the grace window and not before the subscription existed', () => {
    expect(iso(dueSlot('0 8 * * *', 'UTC', at('2026-03-18T08:59:00Z'), 60))).toBe('2026-03-18T08:00:00.000Z');
    expect(iso(dueSlot('0 8 * * *', 'UTC', at('2026-03-18T09:00:00Z'), 60))).toBe('2026-03-18T08:00:00.000Z');
    expect(dueSlot('0 8 * * *', 'UTC', at('2026-03-18T09:00:01Z'), 60)).toBeNull();
    expect(dueSlot('0 8 * * *', 'UTC', at('2026-03-18T08:30:00Z'), 0)).toBeNull();
    expect(dueSlot('0 8 * * *', 'UTC', at('2026-03-18T08:30:00Z'), 60, at('2026-03-18T08:10:00Z'))).toBeNull();
    expect(iso(dueSlot('0 8 * * *', 'Europe/Berlin', at('2026-03-18T07:30:00Z'), 60))).toBe('2026-03-18T07:00:00.000Z');
  });

  it('validates expressions', () => {
    expect(isValidCron('0 8 * * 1-5')).toBe(true);
    expect(isValidCron('61 8 * * *')).toBe(false);
  });
});
