import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertShipments } from '../support/fixtures';
import { createRepositories } from '../../data/repositories';
import type { OrderDraft } from '../../domain/repositories';

const NOW = new Date('2026-03-18T09:30:00Z');
const meta = (requestKey: string) => ({ requestKey, createdBy: 'slack:U024BE7LH (Dana)', orderDate: '2026-03-18' });

const draft: OrderDraft = {
  customer: 'acme corp',
  origin: 'Chicago, IL',
  destination: 'Dallas, TX',
  items: [
    { quantity: 12, unit: 'pallet', description: 'bottled water' },
    { quantity: 3, unit: 'drum', sku: 'CHEM-9' },
  ],
  pickupDate: '2026-03-20',
  deliveryDate: '2026-03-24',
  weightKg: 5400,
  serviceLevel: 'expedited',
  poNumber: 'PO-77120',
  carrier: 'dhl',
};

describeEachDatabase('order repository', (ctx) => {
  const repos = () => createRepositories(ctx.db, { now: () => NOW });

  beforeAll(async () => {
    await clearBusinessData(ctx.db);
    // Customers and carriers exist (created with the shipments).
    await insertShipments(ctx.db, [
      { shipment_id: 'S-SEED-1', customer: 'Acme Corp', carrier: 'DHL' },
      { shipment_id: 'S-SEED-2', customer: 'Globex', carrier: 'FedEx' },
    ]);
  });

  it('creates the first order as ORD-10001 with its lines, and returns it', async () => {
    const { order, created } = await repos().orders.create(draft, meta('k-1'));
    expect(created).toBe(true);
    expect(order).toEqual({
      id: 'ORD-10001',
      status: 'open',
      orderDate: '2026-03-18',
      createdBy: 'slack:U024BE7LH (Dana)',
      cancelReason: null,
      shippedCount: 0,
      customer: 'Acme Corp',
      carrier: 'DHL',
      origin: 'Chicago, IL',
      destination: 'Dallas, TX',
      items: [
        { quantity: 12, unit: 'pallet', description: 'bottled water' },
        { quantity: 3, unit: 'drum', sku: 'CHEM-9' },
      ],
      pickupDate: '2026-03-20',
      deliveryDate: '2026-03-24',
      weightKg: 5400,
      serviceLevel: 'expedited',
      poNumber: 'PO-77120',
    });
  });

  it('is idempotent by request key: the same key returns the first order, created=false', async () => {
    const again = await repos().orders.create({ ...draft, origin: 'Elsewhere' }, meta('k-1'));
    expect(again.created).toBe(false);
    expect(again.order.id).toBe('ORD-10001');
    expect(again.order.origin).toBe('Chicago, IL');
    const [{ n }] = await ctx.db.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM orders');
    expect(Number(n)).toBe(1);
  });

  it('takes the next number after the highest ORD- number, ignoring other ids', async () => {
    const acme = await ctx.db.models.Customer.findOne({ where: { name_key: 'acme corp' } });
    for (const id of ['ORD-10950', 'ORD-9999999', 'ord-abc', 'X-20000', 'ORD-12X']) {
      await ctx.db.models.Order.create({ id, customer_id: acme!.get('id'), status: 'open' });
    }
    const { order } = await repos().orders.create({ customer: 'Globex', origin: 'A', destination: 'B', items: [] }, meta('k-2'));
    expect(order).toMatchObject({ id: 'ORD-10000000', customer: 'Globex', items: [] });
    expect(order.carrier).toBeUndefined();
    expect(order.poNumber).toBeUndefined();
  });

  it('two concurrent creates with the same key make one order', async () => {
    const [a, b] = await Promise.all([repos().orders.create(draft, meta('k-race')), repos().orders.create(draft, meta('k-race'))]);
    expect(a.order.id).toBe(b.order.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const [{ n }] = await ctx.db.sql.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM orders WHERE request_key = 'k-race'");
    expect(Number(n)).toBe(1);
  });

  it('concurrent creates with different keys get distinct numbers', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => repos().orders.create(draft, meta(`k-par-${i}`))));
    const ids = results.map((r) => r.order.id);
    expect(new Set(ids).size).toBe(4);
    expect(results.every((r) => r.created)).toBe(true);
  });

  it('refuses an unknown customer with a clear error', async () => {
    await expect(repos().orders.create({ ...draft, customer: 'Nobody Inc' }, meta('k-bad'))).rejects.toThrow(/no customer named "Nobody Inc"/);
  });

  it('finds by id or PO, case-insensitively', async () => {
    expect((await repos().orders.find({ orderId: 'ord-10001' })).map((o) => o.id)).toEqual(['ORD-10001']);
    const byPo = await repos().orders.find({ poNumber: 'po-77120' });
    expect(byPo.length).toBeGreaterThanOrEqual(1);
    expect(byPo.every((o) => o.poNumber === 'PO-77120')).toBe(true);
    expect(await repos().orders.find({ orderId: 'ORD-55555' })).toEqual([]);
    expect(await repos().orders.find({})).toEqual([]);
  });

  describe('cancel', () => {
    it('cancels an order and its shipments that have not left, once', async () => {
      const { order } = await repos().orders.create(draft, meta('k-cancel'));
      await insertShipments(ctx.db, [
        { shipment_id: 'S-C1', order_id: order.id, status: 'pending' },
        { shipment_id: 'S-C2', order_id: order.id, status: 'pending' },
      ]);
      const r = await repos().orders.cancel(order.id.toLowerCase(), { reason: 'customer withdrew', by: 'console:operator' });
      expect(r.outcome).toBe('cancelled');
      expect(r.order).toMatchObject({ id: order.id, status: 'cancelled', cancelReason: 'customer withdrew' });
      const rows = await ctx.db.sql.query<{ status: string }>("SELECT status FROM shipments WHERE shipment_id IN ('S-C1', 'S-C2')");
      expect(rows.map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
      const again = await repos().orders.cancel(order.id, { by: 'console:operator' });
      expect(again.outcome).toBe('already_cancelled');
      expect(again.order?.cancelReason).toBe('customer withdrew');
    });

    it('keeps a cancellation without a reason as null reason', async () => {
      const { order } = await repos().orders.create(draft, meta('k-cancel-2'));
      const r = await repos().orders.cancel(order.id, { by: 'console:operator' });
      expect(r).toMatchObject({ outcome: 'cancelled', order: { status: 'cancelled', cancelReason: null } });
    });

    it('refuses when a shipment has left, and changes nothing', async () => {
      const { order } = await repos().orders.create(draft, meta('k-shipped'));
      await insertShipments(ctx.db, [
        { shipment_id: 'S-SH1', order_id: order.id, ship_date: '2026-03-19', status: 'in_transit' },
        { shipment_id: 'S-SH2', order_id: order.id, status: 'pending' },
      ]);
      const r = await repos().orders.cancel(order.id, { reason: 'too late', by: 'x' });
      expect(r.outcome).toBe('shipped');
      expect(r.order).toMatchObject({ status: 'open', shippedCount: 1, cancelReason: null });
      const rows = await ctx.db.sql.query<{ status: string }>("SELECT status FROM shipments WHERE shipment_id = 'S-SH2'");
      expect(rows[0].status).toBe('pending');
    });

    it('refuses an order whose status is shipped or delivered', async () => {
      const { order } = await repos().orders.create(draft, meta('k-delivered'));
      await ctx.db.sql.query("UPDATE orders SET status = 'delivered' WHERE id = ?", [order.id]);
      expect((await repos().orders.cancel(order.id, { by: 'x' })).outcome).toBe('shipped');
    });

    it('reports an unknown order', async () => {
      expect(await repos().orders.cancel('ORD-424242', { by: 'x' })).toEqual({ outcome: 'not_found' });
    });
  });
});
