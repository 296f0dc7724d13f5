import { describeEachDatabase } from './support/databases';
import { insertShipments } from './support/fixtures';
import { migrate } from '../data/migrations';

describeEachDatabase('schema', (ctx) => {
  it('has every table the product needs', async () => {
    const sql =
      ctx.db.dialect === 'postgres'
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        : "SELECT name FROM sqlite_master WHERE type = 'table'";
    const tables = (await ctx.db.sql.query<{ name: string }>(sql)).map((r) => r.name);
    for (const t of [
      'users', 'customers', 'carriers', 'orders', 'order_lines', 'shipments', 'tracking_events', 'invoices',
      'invoice_lines', 'rates', 'audit_findings', 'digest_subscriptions', 'digest_runs', 'action_log', 'processed_events',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('re-running migrations is a no-op', async () => {
    expect(await migrate(ctx.db.sequelize)).toEqual([]);
  });

  it('refuses a second shipment with the same shipment_id', async () => {
    await insertShipments(ctx.db, [{ shipment_id: 'SHP-DUP-1', ship_date: '2026-03-01' }]);
    await expect(insertShipments(ctx.db, [{ shipment_id: 'SHP-DUP-1' }])).rejects.toThrow();
  });

  it('keeps an idempotency key once', async () => {
    const { ProcessedEvent } = ctx.db.models;
    await ProcessedEvent.create({ event_key: 'slack:Ev1', source: 'slack', received_at: new Date() });
    await expect(ProcessedEvent.create({ event_key: 'slack:Ev1', source: 'slack', received_at: new Date() })).rejects.toThrow();
  });
});
