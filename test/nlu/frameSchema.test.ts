import fs from 'node:fs';
import path from 'node:path';
import { FrameSchema, normalizeFrame } from '../../domain/nlu/frameSchema';
import { parse } from '../../domain/nlu/parser';

/** The frame schema (for model output) and normalizeFrame (the contract's normal forms). */
describe('FrameSchema', () => {
  it('accepts a contract frame and rejects a malformed one', () => {
    expect(FrameSchema.safeParse({ intent: 'track_shipment', entities: { order_id: 'ORD-10042' } }).success).toBe(true);
    expect(FrameSchema.safeParse({ intent: 'list_shipments', entities: { status: 'late' } }).success).toBe(false);
    expect(FrameSchema.safeParse({ intent: 'dance', entities: {} }).success).toBe(false);
    expect(FrameSchema.safeParse({ intent: 'kpi_report', entities: { period: { from: '2026-3-1', to: '2026-03-18' } } }).success).toBe(false);
    expect(FrameSchema.parse({ intent: 'help' })).toEqual({ intent: 'help', entities: {} });
  });
});

describe('normalizeFrame', () => {
  it('keeps only the entities of the intent', () => {
    expect(normalizeFrame({ intent: 'track_shipment', entities: { order_id: 'ORD-1', status: 'delivered', customer: 'Acme' } })).toEqual({
      intent: 'track_shipment',
      entities: { order_id: 'ORD-1' },
      confidence: 1,
    });
    expect(normalizeFrame({ intent: 'help', entities: { order_id: 'ORD-1' } }).entities).toEqual({});
  });

  it('brings values to their normal forms', () => {
    const f = normalizeFrame({
      intent: 'create_order',
      entities: {
        customer: '  Acme   Corp ',
        items: [{ quantity: '12', unit: 'Pallets', description: 'paper towels' }, { quantity: 0, unit: 'box' }, { quantity: 3, unit: 'ctns', sku: 'ab-1234' }],
        weight_kg: 907.18474,
        po_number: 'po#55121',
        pickup_date: '2026-03-20',
        delivery_date: '2026-02-30',
        service_level: 'Expedited',
      },
    });
    expect(f.entities).toEqual({
      customer: 'Acme Corp',
      items: [{ quantity: 12, unit: 'pallet', description: 'paper towels' }, { quantity: 3, unit: 'carton', sku: 'AB-1234' }],
      weight_kg: 907.2,
      po_number: 'PO-55121',
      pickup_date: '2026-03-20',
      service_level: 'expedited',
    });
  });

  it.each([
    ['order_id', '10042', 'ORD-10042'],
    ['order_id', 'ord-10042', 'ORD-10042'],
    ['order_id', 'ORDER 10042', 'ORD-10042'],
    ['po_number', 'PO 55121', 'PO-55121'],
    ['tracking_number', 'mscu 1234567', 'MSCU1234567'],
  ])('%s %j -> %j', (key, raw, value) => {
    expect(normalizeFrame({ intent: 'track_shipment', entities: { [key]: raw } }).entities).toEqual({ [key]: value });
  });

  it('normalizes schedules: channel, time, day only with weekly', () => {
    expect(normalizeFrame({ intent: 'schedule_digest', entities: { channel: 'Ops-Reports', time: '8:00', frequency: 'daily', day_of_week: 'monday', report: 'KPI digest' } }).entities).toEqual({
      report: 'kpi_digest',
      channel: '#ops-reports',
      time: '08:00',
      frequency: 'daily',
    });
    expect(normalizeFrame({ intent: 'schedule_digest', entities: { channel: 'here', day_of_week: 'friday', report: 'exceptions' } }).entities).toEqual({
      report: 'exceptions',
      frequency: 'weekly',
      day_of_week: 'friday',
    });
  });

  it('omits empty values and maps unknown intents to unknown', () => {
    expect(normalizeFrame({ intent: 'list_shipments', entities: { customer: '', carrier: null, status: 'in transit', period: { from: '2026-03-18', to: '2026-03-01' } } }).entities).toEqual({ status: 'in_transit' });
    expect(normalizeFrame({ intent: 'order_pizza', entities: { customer: 'x' } })).toEqual({ intent: 'unknown', entities: {}, confidence: 1 });
    expect(normalizeFrame('garbage')).toEqual({ intent: 'unknown', entities: {}, confidence: 1 });
    expect(normalizeFrame({ intent: 'flag_invoice', entities: { amount: '$1,200.50', invoice_number: 'inv 2291' }, confidence: 7 })).toEqual({
      intent: 'flag_invoice',
      entities: { invoice_number: 'INV-2291', amount: 1200.5 },
      confidence: 1,
    });
  });

  it('leaves parser frames unchanged', () => {
    const frame = { intent: 'kpi_report', entities: { metric: 'otif', period: { from: '2026-03-01', to: '2026-03-18' } }, confidence: 0.9 };
    expect(normalizeFrame(frame)).toEqual(frame);
  });
});

describe('parser frames and the contract', () => {
  it('every frame the parser makes is valid and already normal', () => {
    const lines = fs.readFileSync(path.join(__dirname, 'parser-cases.jsonl'), 'utf8').split('\n').filter((l: string) => l.trim() !== '');
    for (const line of lines) {
      const ex = JSON.parse(line);
      const frame = parse(ex.text, { now: new Date(ex.now), timeZone: ex.tz ?? 'UTC' });
      expect(FrameSchema.safeParse(frame).success).toBe(true);
      expect(normalizeFrame(frame)).toEqual(frame);
    }
  });
});
