import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertShipments } from '../support/fixtures';
import { createRepositories } from '../../data/repositories';
import type { Database } from '../../data/db';
import { createKpiEngine } from '../../domain/kpi/engine';
import { createClock } from '../../domain/clock';

const TODAY = '2026-03-18';

async function addEvents(db: Database, shipmentId: string, events: Array<[time: string, status: string, location?: string]>) {
  const s = await db.models.Shipment.findOne({ where: { shipment_id: shipmentId } });
  for (const [time, status, location] of events) {
    await db.models.TrackingEvent.create({ shipment_id: s!.get('id'), event_time: new Date(time), status, location: location ?? null, description: `${status} at ${location ?? '?'}`, created_at: new Date() });
  }
}

async function addOrder(db: Database, id: string, po: string | null, customer = 'Acme Corp') {
  const c = await db.models.Customer.findOne({ where: { name_key: customer.toLowerCase() } });
  await db.models.Order.create({ id, customer_id: c!.get('id'), po_number: po, status: 'open', origin: 'Chicago', destination: 'Dallas' });
}

describeEachDatabase('shipment repository', (ctx) => {
  const repos = () => createRepositories(ctx.db);

  beforeAll(async () => {
    await clearBusinessData(ctx.db);
    await insertShipments(ctx.db, [
      // Urgency groups (today 2026-03-18):
      { shipment_id: 'SHP-000101', status: 'delivered', ship_date: '2026-03-01', promised_date: '2026-03-05', delivered_date: '2026-03-04', customer: 'Acme Corp', order_id: 'ORD-10001', po_number: 'PO-5531' },
      { shipment_id: 'SHP-000102', status: 'delivered', ship_date: '2026-03-02', promised_date: '2026-03-06', delivered_date: '2026-03-10', customer: 'Acme Corp', order_id: 'ORD-10001', po_number: 'PO-5531' },
      { shipment_id: 'SHP-000103', status: 'in_transit', ship_date: '2026-03-10', promised_date: '2026-03-20', customer: 'Acme Corp', carrier: 'FedEx', order_id: 'ORD-10002' },
      { shipment_id: 'SHP-000104', status: 'in_transit', ship_date: '2026-03-11', promised_date: '2026-03-19', customer: 'Globex', destination: 'Dallas, TX' },
      // delayed: in transit, promised 03-12 (6 days overdue) and pending, promised 03-15 (3 days)
      { shipment_id: 'SHP-000105', status: 'in_transit', ship_date: '2026-03-05', promised_date: '2026-03-12', customer: 'Acme Corp', order_id: 'ORD-10003' },
      { shipment_id: 'SHP-000106', status: 'pending', promised_date: '2026-03-15', order_date: '2026-03-09', customer: 'Globex' },
      { shipment_id: 'SHP-000107', status: 'exception', ship_date: '2026-03-08', promised_date: '2026-03-25', customer: 'Acme Corp' },
      { shipment_id: 'SHP-000108', status: 'pending', promised_date: '2026-03-28', order_date: '2026-03-16', customer: 'Acme Corp', order_id: 'ORD-10004', po_number: 'po-7000' },
      { shipment_id: 'SHP-000109', status: 'cancelled', order_date: '2026-03-02', customer: 'Acme Corp' },
      // promised today: not delayed
      { shipment_id: 'SHP-000110', status: 'in_transit', ship_date: '2026-03-14', promised_date: '2026-03-18', customer: 'Initech', origin: 'Dallas' },
      { shipment_id: '1Z999AA10123456784', status: 'delivered', ship_date: '2026-02-01', promised_date: '2026-02-04', delivered_date: '2026-02-05', customer: 'Initech' },
    ]);
    await addOrder(ctx.db, 'ORD-10001', 'PO-5531');
    await addOrder(ctx.db, 'ORD-10002', 'PO-8800');
    await addOrder(ctx.db, 'ORD-10003', null);
    await addOrder(ctx.db, 'ORD-10004', 'PO-7000');
    await addEvents(ctx.db, 'SHP-000103', [
      ['2026-03-10T08:00:00Z', 'picked_up', 'Chicago'],
      ['2026-03-11T09:30:00Z', 'in_transit', 'St. Louis'],
      ['2026-03-12T17:45:00Z', 'in_transit', 'Memphis'],
    ]);
    await addEvents(ctx.db, 'SHP-000105', [['2026-03-05T10:00:00Z', 'picked_up', 'Chicago']]);
  });

  describe('findByRef', () => {
    it('finds a tracking number whatever its case and surrounding spaces', async () => {
      const r = await repos().shipments.findByRef({ trackingNumber: ' shp-000103 ' });
      expect(r).toEqual([
        {
          shipmentId: 'SHP-000103', orderId: 'ORD-10002', poNumber: null, customer: 'Acme Corp', carrier: 'FedEx', mode: null,
          origin: 'Chicago', destination: 'Dallas', orderDate: null, shipDate: '2026-03-10', promisedDate: '2026-03-20',
          deliveredDate: null, status: 'in_transit', weightKg: null, quantityOrdered: null, quantityDelivered: null,
        },
      ]);
      expect((await repos().shipments.findByRef({ trackingNumber: '1z999aa10123456784' })).map((s) => s.shipmentId)).toEqual(['1Z999AA10123456784']);
      expect(await repos().shipments.findByRef({ trackingNumber: 'SHP-999999' })).toEqual([]);
    });

    it('returns every shipment of an order, by ship date then id', async () => {
      const r = await repos().shipments.findByRef({ orderId: 'ord-10001' });
      expect(r.map((s) => [s.shipmentId, s.shipDate, s.deliveredDate])).toEqual([
        ['SHP-000101', '2026-03-01', '2026-03-04'],
        ['SHP-000102', '2026-03-02', '2026-03-10'],
      ]);
    });

    it('finds by PO on the shipments or on their order (case-insensitive)', async () => {
      expect((await repos().shipments.findByRef({ poNumber: 'po-5531' })).map((s) => s.shipmentId)).toEqual(['SHP-000101', 'SHP-000102']);
      // PO-8800 is only on order ORD-10002
      expect((await repos().shipments.findByRef({ poNumber: 'PO-8800' })).map((s) => s.shipmentId)).toEqual(['SHP-000103']);
      // stored 'po-7000' on the shipment, 'PO-7000' on the order: one shipment, once
      expect((await repos().shipments.findByRef({ poNumber: 'PO-7000' })).map((s) => s.shipmentId)).toEqual(['SHP-000108']);
      expect(await repos().shipments.findByRef({})).toEqual([]);
    });
  });

  it('recentEvents: the latest N of each shipment, newest first, as ISO instants', async () => {
    const m = await repos().shipments.recentEvents(['SHP-000103', 'SHP-000105', 'SHP-000101'], 2);
    expect([...m.keys()].sort()).toEqual(['SHP-000103', 'SHP-000105']);
    expect(m.get('SHP-000103')).toEqual([
      { time: '2026-03-12T17:45:00.000Z', status: 'in_transit', location: 'Memphis', description: 'in_transit at Memphis' },
      { time: '2026-03-11T09:30:00.000Z', status: 'in_transit', location: 'St. Louis', description: 'in_transit at St. Louis' },
    ]);
    expect(m.get('SHP-000105')).toHaveLength(1);
    expect((await repos().shipments.recentEvents([], 3)).size).toBe(0);
  });

  describe('closestIds', () => {
    it('suggests shipment ids with the same prefix and nearest number, best first', async () => {
      // a digit off: 000113 -> 000103 (edit 1, 10 apart), 000110 (edit 1, 3 apart)
      expect(await repos().shipments.closestIds({ trackingNumber: 'SHP-000113' }, 2)).toEqual(['SHP-000110', 'SHP-000103']);
      expect(await repos().shipments.closestIds({ trackingNumber: 'shp-00107' }, 1)).toEqual(['SHP-000107']);
    });

    it('suggests order ids and PO numbers', async () => {
      // a digit dropped
      expect(await repos().shipments.closestIds({ orderId: 'ORD-1004' }, 1)).toEqual(['ORD-10004']);
      expect(await repos().shipments.closestIds({ orderId: 'ORD-10009' }, 3)).toEqual(['ORD-10004', 'ORD-10003', 'ORD-10002']);
      expect(await repos().shipments.closestIds({ poNumber: 'PO-5513' }, 1)).toEqual(['PO-5531']);
    });

    it('works for references without a number, and finds nothing unrelated', async () => {
      expect(await repos().shipments.closestIds({ trackingNumber: 'SHP-ABC' }, 3)).toHaveLength(3);
      expect(await repos().shipments.closestIds({ orderId: 'XYZ-1' }, 3)).toEqual([]);
    });
  });

  describe('list', () => {
    const base = { today: TODAY, offset: 0, limit: 50 };

    it('orders by urgency: exception, delayed (most overdue first), in transit (earliest promised), pending, delivered (latest), cancelled', async () => {
      const r = await repos().shipments.list(base);
      expect(r.total).toBe(11);
      expect(r.rows.map((s) => s.shipmentId)).toEqual([
        'SHP-000107', // exception
        'SHP-000105', // delayed, promised 03-12
        'SHP-000106', // delayed, promised 03-15 (pending)
        'SHP-000110', // in transit, promised 03-18 (today: not delayed)
        'SHP-000104', // in transit, promised 03-19
        'SHP-000103', // in transit, promised 03-20
        'SHP-000108', // pending
        'SHP-000102', // delivered 03-10
        'SHP-000101', // delivered 03-04
        '1Z999AA10123456784', // delivered 02-05
        'SHP-000109', // cancelled
      ]);
    });

    it('delayed: not delivered or cancelled and promised before today', async () => {
      const r = await repos().shipments.list({ ...base, status: 'delayed' });
      expect(r.rows.map((s) => s.shipmentId)).toEqual(['SHP-000105', 'SHP-000106']);
      expect(r.total).toBe(2);
      const later = await repos().shipments.list({ ...base, status: 'delayed', today: '2026-03-26' });
      // + exception SHP-000107 (promised 03-25), in transit 03-19 / 03-20 / 03-18; exception first
      expect(later.rows.map((s) => s.shipmentId)).toEqual(['SHP-000107', 'SHP-000105', 'SHP-000106', 'SHP-000110', 'SHP-000104', 'SHP-000103']);
    });

    it('other statuses match the stored status', async () => {
      const r = await repos().shipments.list({ ...base, status: 'in_transit' });
      expect(r.rows.map((s) => s.shipmentId)).toEqual(['SHP-000105', 'SHP-000110', 'SHP-000104', 'SHP-000103']);
      expect((await repos().shipments.list({ ...base, status: 'exception' })).total).toBe(1);
    });

    it('pages with the total of all matches', async () => {
      const p1 = await repos().shipments.list({ ...base, limit: 4, offset: 0 });
      const p2 = await repos().shipments.list({ ...base, limit: 4, offset: 4 });
      const p3 = await repos().shipments.list({ ...base, limit: 4, offset: 8 });
      const beyond = await repos().shipments.list({ ...base, limit: 4, offset: 20 });
      expect([p1.total, p2.total, p3.total, beyond.total]).toEqual([11, 11, 11, 11]);
      expect([p1.rows.length, p2.rows.length, p3.rows.length, beyond.rows.length]).toEqual([4, 4, 3, 0]);
      const all = await repos().shipments.list(base);
      expect([...p1.rows, ...p2.rows, ...p3.rows]).toEqual(all.rows);
    });

    it('filters like the KPIs: names case-insensitive, places by key or "key," prefix', async () => {
      const acme = await repos().shipments.list({ ...base, filters: { customer: '  acme corp ' } });
      expect(acme.total).toBe(7);
      const fedex = await repos().shipments.list({ ...base, filters: { carrier: 'FEDEX' } });
      expect(fedex.rows.map((s) => s.shipmentId)).toEqual(['SHP-000103']);
      // "dallas" matches "Dallas" and "Dallas, TX"
      const toDallas = await repos().shipments.list({ ...base, filters: { destination: 'dallas' } });
      expect(toDallas.total).toBe(11);
      expect((await repos().shipments.list({ ...base, filters: { destination: 'Dallas, TX' } })).rows.map((s) => s.shipmentId)).toEqual(['SHP-000104']);
      expect((await repos().shipments.list({ ...base, filters: { origin: 'dallas' } })).rows.map((s) => s.shipmentId)).toEqual(['SHP-000110']);
      expect((await repos().shipments.list({ ...base, filters: { customer: 'Acme' } })).total).toBe(0);
      expect((await repos().shipments.list({ ...base, filters: { customer: 'Nobody Inc' } })).total).toBe(0);
    });

    it('agrees with the KPI engine on a filter', async () => {
      const kpi = createKpiEngine({ sql: ctx.db.sql, clock: createClock('UTC', new Date('2026-03-18T12:00:00Z')) });
      const period = { from: '2026-03-01', to: '2026-03-31' };
      const k = await kpi.compute({ period, filters: { customer: 'ACME CORP' } });
      const shipped = await repos().shipments.list({ ...base, filters: { customer: 'ACME CORP' } });
      const notCancelledShipped = shipped.rows.filter((s) => s.shipDate && s.shipDate >= period.from && s.shipDate <= period.to && s.status !== 'cancelled');
      expect(notCancelledShipped).toHaveLength(Number(k.metrics.shipment_count));
    });

    it('a period takes the delivered date of delivered shipments, the ship date of shipped ones, else the order date', async () => {
      const r = await repos().shipments.list({ ...base, period: { from: '2026-03-09', to: '2026-03-10' } });
      // SHP-000102 delivered 03-10; SHP-000103 shipped 03-10; SHP-000106 ordered 03-09 (not shipped)
      expect(r.rows.map((s) => s.shipmentId).sort()).toEqual(['SHP-000102', 'SHP-000103', 'SHP-000106']);
      const feb = await repos().shipments.list({ ...base, status: 'delivered', period: { from: '2026-02-01', to: '2026-02-28' } });
      expect(feb.rows.map((s) => s.shipmentId)).toEqual(['1Z999AA10123456784']);
    });
  });

  it('directory.names lists customers and carriers', async () => {
    expect(await repos().directory.names('customer')).toEqual(['Acme Corp', 'Globex', 'Initech']);
    expect(await repos().directory.names('carrier')).toEqual(['DHL', 'FedEx']);
  });
});
