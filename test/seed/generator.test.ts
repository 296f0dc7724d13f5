import { AUDIT_RULES } from '../../domain/audit/types';
import { addDays } from '../../domain/dates';
import { generateDemoData, type DemoDataSet } from '../../domain/seed/generator';
import { containerNumber, upsTrackingNumber } from '../../domain/seed/ids';
import { referenceAudit, type RefInvoice } from './referenceAudit';

/** The pure generator (domain/seed): deterministic, realistic, and wrong only where it means to be. */
const TODAY = '2026-03-18';
const FIRST_DAY = addDays(TODAY, -89);

const snapshot = (d: DemoDataSet) =>
  JSON.stringify({
    contracts: d.contracts,
    orders: d.orders,
    orderLines: d.orderLines,
    shipments: d.shipments,
    events: d.shipments.map((_, i) => d.events(i)),
    invoices: d.invoices,
    planted: d.planted,
  });

function auditOf(d: DemoDataSet) {
  const invoices: RefInvoice[] = d.invoices;
  return referenceAudit(d.shipments, d.contracts, invoices);
}

describe('demo data generator', () => {
  const data = generateDemoData({ shipments: 2000, seed: 42, today: TODAY });

  it('is a pure function of seed, today and N', () => {
    const again = generateDemoData({ shipments: 2000, seed: 42, today: TODAY });
    expect(snapshot(again)).toBe(snapshot(data));
    const other = generateDemoData({ shipments: 2000, seed: 43, today: TODAY });
    expect(JSON.stringify(other.shipments)).not.toBe(JSON.stringify(data.shipments));
    const later = generateDemoData({ shipments: 2000, seed: 42, today: '2026-04-01' });
    expect(later.shipments[0].order_date >= addDays('2026-04-01', -89)).toBe(true);
  });

  it.each([1, 2, 5, 37, 120, 300, 2000])('makes exactly %i shipments with unique references', (n) => {
    const d = n === 2000 ? data : generateDemoData({ shipments: n, seed: 7, today: TODAY });
    expect(d.shipments).toHaveLength(n);
    expect(new Set(d.shipments.map((s) => s.shipment_id)).size).toBe(n);
    expect(new Set(d.orders.map((o) => o.id)).size).toBe(d.orders.length);
    expect(new Set(d.orders.map((o) => o.po_number)).size).toBe(d.orders.length);
    const orders = new Set(d.orders.map((o) => o.id));
    for (const s of d.shipments) expect(orders.has(s.order_id)).toBe(true);
    for (const l of d.orderLines) expect(orders.has(l.order_id)).toBe(true);
    const perOrder = new Map<string, number>();
    for (const s of d.shipments) perOrder.set(s.order_id, (perOrder.get(s.order_id) ?? 0) + 1);
    expect(Math.max(...perOrder.values())).toBeLessThanOrEqual(3);
    const docs = new Set(d.invoices.map((i) => `${i.carrier}|${i.invoice_number}|${i.invoice_date}`));
    expect(docs.size).toBe(d.invoices.length);
  });

  it('has the master data people ask about', () => {
    expect(data.customers).toEqual(expect.arrayContaining(['Acme Corp', 'Globex', 'Initech', 'Stark Industries', 'Wayne Enterprises', 'Umbrella Corp', 'Hooli']));
    expect(data.carriers).toEqual(['DHL', 'DHL Express', 'FedEx', 'UPS Freight', 'Maersk', 'XPO Logistics', 'J.B. Hunt', 'Old Dominion']);
    const lanes = new Set(data.shipments.map((s) => `${s.origin}>${s.destination}`));
    for (const lane of ['Chicago>Dallas', 'Memphis>Atlanta', 'Houston>Denver', 'Newark>Boston', 'Rotterdam>Chicago']) expect(lanes.has(lane)).toBe(true);
    const maersk = data.shipments.filter((s) => s.carrier === 'Maersk');
    expect(maersk.length).toBeGreaterThan(0);
    for (const s of maersk) expect(s.mode).toBe('ocean');
  });

  it('uses each mode\'s reference format', () => {
    for (const s of data.shipments) {
      if (s.mode === 'parcel') expect(s.shipment_id).toMatch(/^1Z[0-9A-Z]{16}$/);
      else if (s.mode === 'ocean') expect(s.shipment_id).toMatch(/^(MSCU|MAEU|MRKU)\d{7}$/);
      else expect(s.shipment_id).toMatch(/^SHP-\d{6}$/);
    }
    for (const o of data.orders) {
      expect(o.id).toMatch(/^ORD-1\d{4}$/);
      expect(o.po_number).toMatch(/^PO-5\d{4}$/);
    }
    // Check digits as the carriers compute them.
    expect(upsTrackingNumber('999AA1', 1, 2345678)).toBe('1Z999AA10123456784');
    expect(containerNumber('CSQU', 305438)).toBe('CSQU3054383');
  });

  it('gives every shipment a timeline whose last event is its status', () => {
    data.shipments.forEach((s, i) => {
      const events = data.events(i);
      expect(events.length).toBeGreaterThanOrEqual(1);
      for (let k = 1; k < events.length; k++) expect(events[k].event_time > events[k - 1].event_time).toBe(true);
      const last = events[events.length - 1];
      expect(last.status).toBe(s.status);
      expect(events[0].status).toBe('pending');
      if (s.status === 'delivered') expect(last.event_time.slice(0, 10)).toBe(s.delivered_date);
      const picked = events.find((e) => e.description.startsWith('Picked up') || e.description.startsWith('Container gated in') ||
        e.description.startsWith('Received at') || e.description.startsWith('Loaded at origin'));
      expect(picked?.event_time.slice(0, 10) ?? null).toBe(s.ship_date);
    });
  });

  it('keeps every date within the 90 days before today', () => {
    for (const s of data.shipments) {
      expect(s.order_date >= FIRST_DAY && s.order_date <= TODAY).toBe(true);
      if (s.ship_date) expect(s.ship_date >= s.order_date && s.ship_date <= TODAY).toBe(true);
      if (s.delivered_date) expect(s.delivered_date >= s.ship_date! && s.delivered_date <= TODAY).toBe(true);
      expect(s.promised_date! > (s.ship_date ?? s.order_date)).toBe(true);
    }
    for (let i = 0; i < data.shipments.length; i++) {
      for (const e of data.events(i)) expect(e.event_time.slice(0, 10) >= FIRST_DAY && e.event_time.slice(0, 10) <= TODAY).toBe(true);
    }
    for (const inv of data.invoices) expect(inv.invoice_date >= FIRST_DAY && inv.invoice_date <= TODAY).toBe(true);
  });

  it('looks like a real operation: mostly on time, some late, in transit, pending, stuck and cancelled', () => {
    const count = (status: string) => data.shipments.filter((s) => s.status === status).length;
    const delivered = data.shipments.filter((s) => s.status === 'delivered');
    const onTime = delivered.filter((s) => s.delivered_date! <= s.promised_date!).length / delivered.length;
    const inFull = delivered.filter((s) => s.delivered_date! <= s.promised_date! && s.quantity_delivered! >= s.quantity_ordered).length / delivered.length;
    expect(onTime).toBeGreaterThanOrEqual(0.88);
    expect(onTime).toBeLessThanOrEqual(0.93);
    expect(inFull).toBeLessThan(onTime);
    expect(count('in_transit')).toBeGreaterThan(20);
    expect(count('pending')).toBeGreaterThan(5);
    expect(count('exception')).toBeGreaterThan(0);
    expect(count('cancelled')).toBeGreaterThan(10);
    expect(data.shipments.some((s) => s.status === 'in_transit' && s.promised_date! < TODAY)).toBe(true);
    const texts = new Set(data.shipments.flatMap((_, i) => data.events(i).map((e) => e.description)));
    expect(texts.has('Held at customs')).toBe(true);
    expect([...texts].some((t) => t.startsWith('Damaged in transit'))).toBe(true);
  });

  it('has contracts that cover the window, with renewed lanes', () => {
    const lanes = data.contracts.filter((r) => r.rate_basis !== 'accessorial');
    for (const r of lanes) {
      expect(r.fuel_pct).toBeGreaterThanOrEqual(10);
      expect(r.fuel_pct).toBeLessThanOrEqual(25);
      if (r.rate_basis === 'per_kg') expect(r.min_charge).toBeGreaterThan(0);
    }
    const byLane = new Map<string, typeof lanes>();
    for (const r of lanes) byLane.set(`${r.carrier}|${r.origin}|${r.destination}`, [...(byLane.get(`${r.carrier}|${r.origin}|${r.destination}`) ?? []), r]);
    expect(byLane.size).toBeGreaterThanOrEqual(25);
    for (const list of byLane.values()) {
      const current = list.find((r) => r.valid_from <= TODAY && r.valid_to! >= TODAY);
      expect(current).toBeDefined();
      expect(list.some((r) => r.valid_from <= FIRST_DAY && (r.valid_to ?? '9999') >= FIRST_DAY)).toBe(true);
    }
    expect([...byLane.values()].filter((l) => l.length > 1).length).toBeGreaterThanOrEqual(5);
    // Accessorial schedules: not every carrier allows every code.
    const acc = data.contracts.filter((r) => r.rate_basis === 'accessorial');
    expect(new Set(acc.map((r) => r.charge_code))).toEqual(new Set(['DET', 'LFT', 'RES', 'LUMP']));
    for (const c of data.carriers) expect(acc.filter((r) => r.carrier === c).length).toBeLessThan(4);
  });

  it('bills per contract except on the planted invoices, about 5% of them, every audit rule at least once', () => {
    const findings = auditOf(data);
    const found = new Set(findings.map((f) => `${f.carrier}|${f.invoice_number}`));
    const planted = new Set(data.planted.map((p) => `${p.carrier}|${p.invoice_number}`));
    expect([...found].sort()).toEqual([...planted].sort());
    for (const p of data.planted) {
      expect(findings.filter((f) => f.carrier === p.carrier && f.invoice_number === p.invoice_number).map((f) => f.rule)).toContain(p.rule);
    }
    const invoices = new Set(data.invoices.map((i) => `${i.carrier}|${i.invoice_number}`)).size;
    expect(planted.size / invoices).toBeGreaterThanOrEqual(0.03);
    expect(planted.size / invoices).toBeLessThanOrEqual(0.08);
    for (const rule of AUDIT_RULES) expect(data.planted.filter((p) => p.rule === rule).length).toBeGreaterThanOrEqual(1);
    // Both kinds of duplicate: a number billed again, and a shipment's linehaul on a second invoice.
    const dups = data.planted.filter((p) => p.rule === 'duplicate_invoice');
    expect(dups.some((p) => p.shipment_ref === null)).toBe(true);
    expect(dups.some((p) => p.shipment_ref !== null)).toBe(true);
  });

  it('plants every audit rule even in a small data set', () => {
    const small = generateDemoData({ shipments: 300, seed: 7, today: TODAY });
    for (const rule of AUDIT_RULES) expect(small.planted.map((p) => p.rule)).toContain(rule);
    const findings = auditOf(small);
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(AUDIT_RULES));
  });

  it('tells the well-known stories the docs cite', () => {
    expect(data.wellKnown).toMatchObject({
      order: 'ORD-10042', po: 'PO-55121', shipment: 'SHP-000123', deliveredOrder: 'ORD-10050', openOrder: 'ORD-10077',
      container: 'MSCU1234567', parcel: '1Z999AA10123456784', invoices: ['INV-2291', 'INV-3310', 'INV-2026-0042'],
    });
    const ship = (id: string) => data.shipments.find((s) => s.shipment_id === id)!;
    expect(ship('SHP-000123')).toMatchObject({
      order_id: 'ORD-10042', po_number: 'PO-55121', customer: 'Acme Corp', carrier: 'UPS Freight', mode: 'ltl',
      origin: 'Chicago', destination: 'Dallas', status: 'in_transit', quantity_ordered: 12,
    });
    expect(ship('SHP-000123').promised_date! > TODAY).toBe(true);
    expect(data.orderLines.filter((l) => l.order_id === 'ORD-10042')).toEqual([
      { order_id: 'ORD-10042', line_no: 1, quantity: 12, unit: 'pallet', description: 'paper towels', sku: 'AC-1001' },
    ]);
    expect(data.orders.find((o) => o.id === 'ORD-10050')!.status).toBe('delivered');
    expect(data.orders.find((o) => o.id === 'ORD-10077')!.status).toBe('open');
    expect(data.shipments.filter((s) => s.order_id === 'ORD-10077').every((s) => s.status === 'pending')).toBe(true);
    expect(ship('MSCU1234567')).toMatchObject({ carrier: 'Maersk', mode: 'ocean', origin: 'Rotterdam', destination: 'Newark', customer: 'Stark Industries', status: 'in_transit' });
    expect(ship('1Z999AA10123456784')).toMatchObject({ carrier: 'UPS Freight', mode: 'parcel', status: 'delivered' });
    const rule = (n: string) => data.planted.find((p) => p.invoice_number === n)?.rule;
    expect(rule('INV-2291')).toBe('fuel_overcharge');
    expect(rule('INV-3310')).toBe('accessorial_over_max');
    expect(rule('INV-2026-0042')).toBe('weight_overbilled');
    const det = data.invoices.find((i) => i.invoice_number === 'INV-3310')!.lines.find((l) => l.charge_code === 'DET')!;
    const max = data.contracts.find((r) => r.carrier === data.invoices.find((i) => i.invoice_number === 'INV-3310')!.carrier && r.charge_code === 'DET')!.rate;
    expect(Math.round((det.amount - max) * 100) / 100).toBe(120.5);
  });
});
