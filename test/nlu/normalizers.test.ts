import { parse } from '../../domain/nlu/parser';
import type { Frame } from '../../domain/nlu/types';

/** Normal forms of nlu.md "Entities": ids, units, weights, times, channels, amounts, service levels, statuses, metrics. */
const NOW = new Date('2026-03-18T09:30:00Z');
const p = (text: string): Frame => parse(text, { now: NOW, timeZone: 'UTC' });

describe('ids', () => {
  it.each([
    ['where is order 10042?', { order_id: 'ORD-10042' }],
    ['where is ORD-10042?', { order_id: 'ORD-10042' }],
    ['where is order #10042?', { order_id: 'ORD-10042' }],
    ['where is ord-10042?', { order_id: 'ORD-10042' }],
    ['where is order number 10042?', { order_id: 'ORD-10042' }],
    ['where is order no. 10042?', { order_id: 'ORD-10042' }],
    ['where is PO 55121?', { po_number: 'PO-55121' }],
    ['where is PO#55121?', { po_number: 'PO-55121' }],
    ['where is po-55121?', { po_number: 'PO-55121' }],
    ['where is purchase order 55121?', { po_number: 'PO-55121' }],
    ['track SHP-000123', { tracking_number: 'SHP-000123' }],
    ['track 1z999aa10123456784', { tracking_number: '1Z999AA10123456784' }],
    ["where's container MSCU 1234567", { tracking_number: 'MSCU1234567' }],
    ['where is MSCU1234567', { tracking_number: 'MSCU1234567' }],
    ['tracking number 784512369874', { tracking_number: '784512369874' }],
    ['track <https://carrier.example/t/1Z999AA10123456784|1Z999AA1...>', { tracking_number: '1Z999AA10123456784' }],
    ['track <https://track.example.com/SHP-000777|SHP-000777>', { tracking_number: 'SHP-000777' }],
  ])('%s', (text, entities) => {
    const f = p(text);
    expect(f.intent).toBe('track_shipment');
    expect(f.entities).toEqual(entities);
  });

  it.each([
    ['check invoice 2291', 'INV-2291'],
    ['check INV-2291', 'INV-2291'],
    ['check inv #2026-0042', 'INV-2026-0042'],
    ['check invoice INV-2291', 'INV-2291'],
    ['check invoice no. 2291', 'INV-2291'],
    ['check INV2291', 'INV-2291'],
  ])('%s', (text, id) => {
    expect(p(text).entities.invoice_number).toBe(id);
  });
});

describe('items', () => {
  const UNITS: [string, string][] = [
    ['pallet', 'pallet'], ['pallets', 'pallet'], ['plt', 'pallet'], ['plts', 'pallet'], ['skids', 'pallet'],
    ['carton', 'carton'], ['cartons', 'carton'], ['ctn', 'carton'], ['ctns', 'carton'],
    ['case', 'case'], ['cases', 'case'], ['cs', 'case'],
    ['box', 'box'], ['boxes', 'box'], ['bx', 'box'],
    ['unit', 'unit'], ['units', 'unit'],
    ['piece', 'piece'], ['pieces', 'piece'], ['pc', 'piece'], ['pcs', 'piece'],
    ['drum', 'drum'], ['drums', 'drum'],
    ['crate', 'crate'], ['crates', 'crate'],
    ['bag', 'bag'], ['bags', 'bag'],
    ['roll', 'roll'], ['rolls', 'roll'],
    ['container', 'container'], ['containers', 'container'],
    ['tote', 'tote'], ['totes', 'tote'],
  ];
  it.each(UNITS)('"7 %s" is unit %s', (word, unit) => {
    const f = p(`book 7 ${word} from Chicago to Dallas for Acme Corp`);
    expect(f.intent).toBe('create_order');
    expect(f.entities.items).toEqual([{ quantity: 7, unit }]);
  });

  it.each([
    ['book 12 pallets of paper towels from Chicago to Dallas', [{ quantity: 12, unit: 'pallet', description: 'paper towels' }]],
    ['book 40 ctns SKU AB-1234 from Memphis to Atlanta', [{ quantity: 40, unit: 'carton', sku: 'AB-1234' }]],
    ['book 2 pallets and 10 cartons from Gotham to Metropolis', [{ quantity: 2, unit: 'pallet' }, { quantity: 10, unit: 'carton' }]],
    ['book 12pallets from Chicago to Dallas', [{ quantity: 12, unit: 'pallet' }]],
    ['book twelve pallets from Chicago to Dallas', [{ quantity: 12, unit: 'pallet' }]],
    ['book a pallet of samples from Austin to Houston', [{ quantity: 1, unit: 'pallet', description: 'samples' }]],
    ['book 1,200 units from Oakland to Reno', [{ quantity: 1200, unit: 'unit' }]],
  ])('%s', (text, items) => {
    expect(p(text).entities.items).toEqual(items);
  });
});

describe('weights (kilograms, 1 decimal)', () => {
  it.each([
    ['2,000 lbs', 907.2],
    ['2000 lb', 907.2],
    ['2000lbs', 907.2],
    ['1800 pounds', 816.5],
    ['500 kg', 500],
    ['500kgs', 500],
    ['800 kilos', 800],
    ['1.5 t', 1500],
    ['2 tonnes', 2000],
    ['3 metric tons', 3000],
    ['2 tons', 1814.4],
    ['1 ton', 907.2],
    ['10k lbs', 4535.9],
  ])('%s -> %s kg', (w, kg) => {
    const f = p(`book 3 drums from Houston to Denver, ${w}`);
    expect(f.intent).toBe('create_order');
    expect(f.entities.weight_kg).toBeCloseTo(kg, 1);
  });
});

describe('times (24-hour HH:MM)', () => {
  it.each([
    ['at 8am', '08:00'],
    ['at 8 am', '08:00'],
    ['at 5:30 pm', '17:30'],
    ['at 5:30pm', '17:30'],
    ['at noon', '12:00'],
    ['at midnight', '00:00'],
    ['at 17:30', '17:30'],
    ['at 6', '06:00'],
    ['at 18', '18:00'],
    ['at 7.30am', '07:30'],
    ["at 8 o'clock", '08:00'],
    ['at 12pm', '12:00'],
    ['at 12am', '00:00'],
    ['at 0800', '08:00'],
    ['at 8:00 a.m.', '08:00'],
    ['at 6 in the evening', '18:00'],
  ])('%s -> %s', (t, hhmm) => {
    const f = p(`send the KPI digest to #ops every day ${t}`);
    expect(f.intent).toBe('schedule_digest');
    expect(f.entities.time).toBe(hhmm);
  });
});

describe('channels', () => {
  it.each([
    ['post the KPI digest to #Ops-Reports every Monday', '#ops-reports'],
    ['post the KPI digest to <#C024BE7LR|ops-reports> every Monday', '#ops-reports'],
    ['post the KPI digest to <#C024BE7LR> every Monday', '#c024be7lr'],
    ['post the KPI digest in the ops-reports channel every Monday', '#ops-reports'],
    ['post the KPI digest to #finance_team every Monday', '#finance_team'],
  ])('%s', (text, channel) => {
    expect(p(text).entities.channel).toBe(channel);
  });

  it.each(['post the KPI digest here every Monday', 'post the KPI digest in this channel every Monday'])('%s has no channel', (text) => {
    const f = p(text);
    expect(f.intent).toBe('schedule_digest');
    expect(f.entities.channel).toBeUndefined();
  });
});

describe('amounts', () => {
  it.each([
    ['flag INV-1, overbilled by $1,200.50', 1200.5],
    ['flag INV-1, overbilled by 500 dollars', 500],
    ['flag INV-1, overbilled by $1.2k', 1200],
    ['flag INV-1, overbilled by USD 75', 75],
    ['flag INV-1, overbilled by $120.50', 120.5],
  ])('%s', (text, amount) => {
    const f = p(text);
    expect(f.intent).toBe('flag_invoice');
    expect(f.entities.amount).toBe(amount);
  });

  it.each([
    ['any billing discrepancies over $500?', 500],
    ['discrepancies above $1,000 on DHL invoices', 1000],
    ['invoice discrepancies more than 1.2k', 1200],
    ['invoice discrepancies of at least $100', 100],
    ['invoice discrepancies greater than $2k', 2000],
    ['invoice discrepancies of $250 or more', 250],
  ])('%s -> min_amount', (text, min) => {
    const f = p(text);
    expect(f.intent).toBe('audit_invoices');
    expect(f.entities.min_amount).toBe(min);
  });
});

describe('service levels', () => {
  it.each([
    ['asap', 'expedited'],
    ['rush', 'expedited'],
    ['urgent', 'expedited'],
    ['express', 'expedited'],
    ['expedite', 'expedited'],
    ['expedited', 'expedited'],
    ['hot', 'expedited'],
    ['standard service', 'standard'],
    ['no rush', 'standard'],
  ])('%s -> %s', (word, level) => {
    const f = p(`book 3 pallets from Miami to Orlando, ${word}`);
    expect(f.intent).toBe('create_order');
    expect(f.entities.service_level).toBe(level);
  });

  it('does not read the carrier "DHL Express" as a service level', () => {
    expect(p('book 3 boxes from Miami to Atlanta with DHL Express').entities).toEqual({
      items: [{ quantity: 3, unit: 'box' }],
      origin: 'Miami',
      destination: 'Atlanta',
      carrier: 'DHL Express',
    });
  });
});

describe('statuses', () => {
  it.each([
    ['late', 'delayed'],
    ['overdue', 'delayed'],
    ['delayed', 'delayed'],
    ['behind schedule', 'delayed'],
    ['stuck', 'exception'],
    ['damaged', 'exception'],
    ['held at customs', 'exception'],
    ['on hold', 'exception'],
    ['in transit', 'in_transit'],
    ['on the way', 'in_transit'],
    ['delivered', 'delivered'],
    ['arrived', 'delivered'],
    ['pending', 'pending'],
    ['awaiting pickup', 'pending'],
  ])('shipments that are %s -> %s', (word, status) => {
    const f = p(`show me shipments that are ${word}`);
    expect(f.intent).toBe('list_shipments');
    expect(f.entities.status).toBe(status);
  });
});

describe('metrics', () => {
  it.each([
    ['on-time performance last week', 'on_time_rate'],
    ['on-time % last week', 'on_time_rate'],
    ['late rate last week', 'on_time_rate'],
    ['% late last week', 'on_time_rate'],
    ['OTIF last week', 'otif'],
    ['how many shipments last week', 'shipment_count'],
    ['volume last week', 'shipment_count'],
    ['how many orders last week', 'order_count'],
    ['freight spend last week', 'freight_spend'],
    ['cost last week', 'freight_spend'],
    ['how much did we spend on freight last week', 'freight_spend'],
    ['invoice accuracy last week', 'invoice_accuracy'],
    ['average transit time last week', 'avg_transit_days'],
    ['lead time last week', 'avg_transit_days'],
    ['how many exceptions last week', 'exception_count'],
  ])('%s -> %s', (text, metric) => {
    const f = p(text);
    expect(f.intent).toBe('kpi_report');
    expect(f.entities.metric).toBe(metric);
  });
});

describe('places, customers, carriers as written', () => {
  it.each([
    ['book 2 pallets from Chicago to Dallas, TX', { origin: 'Chicago', destination: 'Dallas, TX' }],
    ['book 2 pallets Newark -> Boston', { origin: 'Newark', destination: 'Boston' }],
    ['book 2 pallets Houston to Denver', { origin: 'Houston', destination: 'Denver' }],
    ['book 2 pallets from New York to St. Louis', { origin: 'New York', destination: 'St. Louis' }],
    ['book 2 pallets from chicago to dallas', { origin: 'chicago', destination: 'dallas' }],
  ])('%s', (text, places) => {
    expect(p(text).entities).toMatchObject(places);
  });

  it.each([
    ['book 2 pallets for Acme Corp from Chicago to Dallas', 'Acme Corp'],
    ['enter order: customer Stark Industries, 5 crates', 'Stark Industries'],
    ['book 2 pallets for Procter &amp; Gamble from Chicago to Dallas', 'Procter & Gamble'],
  ])('%s', (text, customer) => {
    expect(p(text).entities.customer).toBe(customer);
  });

  it.each([
    ['late shipments with J.B. Hunt', 'J.B. Hunt'],
    ['late shipments via UPS Freight', 'UPS Freight'],
    ['late CMA CGM shipments', 'CMA CGM'],
    ['late shipments with Acme Trucking', 'Acme Trucking'],
    ['late Old Dominion shipments', 'Old Dominion'],
  ])('%s', (text, carrier) => {
    expect(p(text).entities.carrier).toBe(carrier);
  });
});

describe('reasons', () => {
  it.each([
    ['flag INV-2291, fuel surcharge billed twice', 'fuel surcharge billed twice'],
    ['flag INV-2291: fuel surcharge billed twice', 'fuel surcharge billed twice'],
    ['flag INV-2291 - fuel surcharge billed twice', 'fuel surcharge billed twice'],
    ['flag INV-2291 because fuel surcharge billed twice', 'fuel surcharge billed twice'],
    ['flag INV-2291 reason: fuel surcharge billed twice', 'fuel surcharge billed twice'],
    ['mark inv #2026-0042 as wrong - weight doesn\'t match the BOL', "weight doesn't match the BOL"],
  ])('%s', (text, reason) => {
    const f = p(text);
    expect(f.intent).toBe('flag_invoice');
    expect(f.entities.reason).toBe(reason);
  });

  it('extracts only the amount from inside a reason', () => {
    expect(p('dispute invoice 3310: UPS overbilled us by $120.50 for detention').entities).toEqual({
      invoice_number: 'INV-3310',
      amount: 120.5,
      reason: 'UPS overbilled us by $120.50 for detention',
    });
  });

  it('reads a cancellation reason after its separator', () => {
    expect(p('please cancel ORD-10077, customer changed their mind').entities).toEqual({ order_id: 'ORD-10077', reason: 'customer changed their mind' });
    expect(p('cancel order 10042 because the warehouse is closed').entities.reason).toBe('the warehouse is closed');
    expect(p('kill PO 55121 please').entities).toEqual({ po_number: 'PO-55121' });
  });
});

describe('schedules', () => {
  it.each([
    ['every weekday', { frequency: 'weekdays' }],
    ['every Monday', { frequency: 'weekly', day_of_week: 'monday' }],
    ['on Fridays', { frequency: 'weekly', day_of_week: 'friday' }],
    ['weekly', { frequency: 'weekly' }],
    ['every day', { frequency: 'daily' }],
    ['every morning', { frequency: 'daily' }],
    ['monthly', { frequency: 'monthly' }],
    ['Monday through Friday', { frequency: 'weekdays' }],
  ])('%s', (when, expected) => {
    const f = p(`post the KPI digest to #ops ${when}`);
    expect(f.intent).toBe('schedule_digest');
    expect(f.entities).toEqual({ report: 'kpi_digest', channel: '#ops', ...expected });
  });

  it.each([
    ['the daily exceptions report', 'exceptions'],
    ['an invoice audit summary', 'invoice_audit'],
    ['the KPI report', 'kpi_digest'],
    ['the digest', 'kpi_digest'],
  ])('%s -> report %s', (what, report) => {
    expect(p(`post ${what} to #ops every Monday at 9`).entities.report).toBe(report);
  });

  it('has no report when the schedule names none', () => {
    expect(p('post here every Monday at 9').entities).toEqual({ frequency: 'weekly', day_of_week: 'monday', time: '09:00' });
  });
});
