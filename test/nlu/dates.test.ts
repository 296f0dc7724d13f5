import { parse } from '../../domain/nlu/parser';
import type { Frame } from '../../domain/nlu/types';

/** nlu.md "Dates" (every row of the table) and the date "Fine points", with now = Wednesday 2026-03-18 UTC. */
const NOW = new Date('2026-03-18T09:30:00Z');
const p = (text: string, now = NOW, timeZone = 'UTC'): Frame => parse(text, { now, timeZone });
const period = (from: string, to: string) => ({ from, to });

describe('single days for pickup and delivery', () => {
  it.each([
    ['book 2 pallets from Austin to Dallas, pickup today', 'pickup_date', '2026-03-18'],
    ['book 2 pallets from Austin to Dallas, pickup tomorrow', 'pickup_date', '2026-03-19'],
    ['book 2 pallets from Austin to Dallas, pickup yesterday', 'pickup_date', '2026-03-17'],
    ['book 2 pallets from Austin to Dallas, pickup Friday', 'pickup_date', '2026-03-20'],
    ['book 2 pallets from Austin to Dallas, pick up on Wednesday', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup next Friday', 'pickup_date', '2026-03-27'],
    ['book 2 pallets from Austin to Dallas, pickup this Friday', 'pickup_date', '2026-03-20'],
    ['book 2 pallets from Austin to Dallas, pickup March 25', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup 3/25', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup 25 March', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup 2026-03-25', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup in 3 days', 'pickup_date', '2026-03-21'],
    ['book 2 pallets from Austin to Dallas, pickup Mar 25th', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup 3/25/2026', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup the 25th', 'pickup_date', '2026-03-25'],
    ['book 2 pallets from Austin to Dallas, pickup Friday next week', 'pickup_date', '2026-03-27'],
    ['book 2 pallets from Austin to Dallas, pickup tmrw', 'pickup_date', '2026-03-19'],
    // a date without a year is its next occurrence from today
    ['book 2 pallets from Austin to Dallas, pickup March 3', 'pickup_date', '2027-03-03'],
    ['book 2 pallets from Austin to Dallas, pickup Dec 1', 'pickup_date', '2026-12-01'],
  ])('%s', (text, key, value) => {
    const f = p(text);
    expect(f.intent).toBe('create_order');
    expect(f.entities).toMatchObject({ [key]: value });
  });

  it.each([
    ['ship', 'pickup_date'],
    ['pick up', 'pickup_date'],
    ['collect', 'pickup_date'],
    ['load', 'pickup_date'],
    ['deliver', 'delivery_date'],
    ['arrive', 'delivery_date'],
    ['due', 'delivery_date'],
    ['by', 'delivery_date'],
  ])('"%s X" is the %s', (verb, key) => {
    const f = p(`new order for Globex: 4 crates from Memphis to Atlanta, ${verb} Friday`);
    expect(f.intent).toBe('create_order');
    expect(f.entities).toMatchObject({ [key]: '2026-03-20' });
    expect(Object.keys(f.entities)).not.toContain(key === 'pickup_date' ? 'delivery_date' : 'pickup_date');
  });

  it('reads a pickup and a delivery in one message', () => {
    expect(p('need a truck for 18 pallets from Green Bay to Chicago, pickup Monday, deliver next Wednesday').entities).toMatchObject({
      pickup_date: '2026-03-23',
      delivery_date: '2026-03-25',
    });
  });
});

describe('periods', () => {
  it.each([
    ['late shipments today', period('2026-03-18', '2026-03-18')],
    ['late shipments yesterday', period('2026-03-17', '2026-03-17')],
    ['late shipments this week', period('2026-03-16', '2026-03-18')],
    ['late shipments week to date', period('2026-03-16', '2026-03-18')],
    ['late shipments WTD', period('2026-03-16', '2026-03-18')],
    ['late shipments last week', period('2026-03-09', '2026-03-15')],
    ['late shipments this month', period('2026-03-01', '2026-03-18')],
    ['late shipments month to date', period('2026-03-01', '2026-03-18')],
    ['late shipments MTD', period('2026-03-01', '2026-03-18')],
    ['late shipments last month', period('2026-02-01', '2026-02-28')],
    ['late shipments last 7 days', period('2026-03-12', '2026-03-18')],
    ['late shipments past 30 days', period('2026-02-17', '2026-03-18')],
    ['late shipments in January', period('2026-01-01', '2026-01-31')],
    ['late shipments in December', period('2025-12-01', '2025-12-31')],
    ['late shipments in March', period('2026-03-01', '2026-03-18')],
    ['late shipments this quarter', period('2026-01-01', '2026-03-18')],
    ['late shipments last quarter', period('2025-10-01', '2025-12-31')],
    ['late shipments Q4', period('2025-10-01', '2025-12-31')],
    ['late shipments Q1', period('2026-01-01', '2026-03-18')],
    ['late shipments Q2 2025', period('2025-04-01', '2025-06-30')],
    ['late shipments this year', period('2026-01-01', '2026-03-18')],
    ['late shipments YTD', period('2026-01-01', '2026-03-18')],
    ['late shipments last year', period('2025-01-01', '2025-12-31')],
    ['late shipments since March 2', period('2026-03-02', '2026-03-18')],
    ['late shipments from March 2 to March 9', period('2026-03-02', '2026-03-09')],
    ['late shipments between 3/2 and 3/9', period('2026-03-02', '2026-03-09')],
    ['late shipments on March 2', period('2026-03-02', '2026-03-02')],
    // fine points
    ['late shipments since Dec 1', period('2025-12-01', '2026-03-18')],
    ['late shipments since Monday', period('2026-03-16', '2026-03-18')],
    ['late shipments on Wednesday', period('2026-03-18', '2026-03-18')],
    ['late shipments past week', period('2026-03-12', '2026-03-18')],
    ['late shipments last 2 weeks', period('2026-03-05', '2026-03-18')],
    ['late shipments last 3 weeks', period('2026-02-26', '2026-03-18')],
    ['late shipments in 2025', period('2025-01-01', '2025-12-31')],
    ['late shipments 3/2-3/9', period('2026-03-02', '2026-03-09')],
    ['late shipments so far this month', period('2026-03-01', '2026-03-18')],
    ['late shipments previous month', period('2026-02-01', '2026-02-28')],
  ])('%s', (text, expected) => {
    const f = p(text);
    expect(f.intent).toBe('list_shipments');
    expect(f.entities.period).toEqual(expected);
  });

  it('reads KPI and audit periods the same way', () => {
    expect(p('OTIF MTD').entities.period).toEqual(period('2026-03-01', '2026-03-18'));
    expect(p('audit last month\'s Maersk invoices').entities.period).toEqual(period('2026-02-01', '2026-02-28'));
    expect(p('how much did we spend on freight last quarter').entities.period).toEqual(period('2025-10-01', '2025-12-31'));
  });
});

describe('time zones', () => {
  it('reads calendar dates in the business time zone', () => {
    // 03:00 UTC on the 18th is 23:00 on the 17th in New York.
    const now = new Date('2026-03-18T03:00:00Z');
    expect(p('what was delivered today?', now, 'America/New_York').entities.period).toEqual(period('2026-03-17', '2026-03-17'));
    expect(p('what was delivered today?', now, 'UTC').entities.period).toEqual(period('2026-03-18', '2026-03-18'));
    expect(p('book 2 crates from Boston to Albany tomorrow', now, 'America/New_York').entities.pickup_date).toBe('2026-03-18');
    // 23:30 UTC on the 18th is 08:30 on the 19th in Tokyo.
    expect(p('exceptions today', new Date('2026-03-18T23:30:00Z'), 'Asia/Tokyo').entities.period).toEqual(period('2026-03-19', '2026-03-19'));
  });

  it('works from another reference day (a Monday in January)', () => {
    const now = new Date('2026-01-05T15:00:00Z');
    expect(p('late shipments last week', now).entities.period).toEqual(period('2025-12-29', '2026-01-04'));
    expect(p('late shipments last month', now).entities.period).toEqual(period('2025-12-01', '2025-12-31'));
    expect(p('late shipments this quarter', now).entities.period).toEqual(period('2026-01-01', '2026-01-05'));
    expect(p('late shipments Q4', now).entities.period).toEqual(period('2025-10-01', '2025-12-31'));
    expect(p('book 3 pallets from Austin to Dallas pickup Friday', now).entities.pickup_date).toBe('2026-01-09');
    expect(p('book 3 pallets from Austin to Dallas, deliver next Friday', now).entities.delivery_date).toBe('2026-01-16');
  });
});
