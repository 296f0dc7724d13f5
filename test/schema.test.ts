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
      'conversation_states', 'invoice_disputes',
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

describeEachDatabase('SqlRunner', (ctx) => {
  it('runs writes and reads, with positional parameters, in transactions', async () => {
    await ctx.db.sql.query("/* note */ INSERT INTO carriers (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)", ['Runner Co', 'runner co', '2026-03-18 09:30:00', '2026-03-18 09:30:00']);
    await expect(
      ctx.db.sql.transaction(async (tx) => {
        await tx.query("UPDATE carriers SET name = ? WHERE name_key = ?", ['Renamed', 'runner co']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const rows = await ctx.db.sql.query<{ name: string }>('SELECT name FROM carriers WHERE name_key = ?', ['runner co']);
    expect(rows).toEqual([{ name: 'Runner Co' }]);
  });

  it('keeps sub-cent contract rates (per_kg 0.1045)', async () => {
    const { insertRates } = await import('./support/fixtures');
    await insertRates(ctx.db, [{ carrier: 'Runner Co', origin: 'A', destination: 'B', rate_basis: 'per_kg', rate: 0.1045 }]);
    const [row] = await ctx.db.sql.query<{ rate: string | number }>("SELECT rate FROM rates WHERE origin = 'A'");
    expect(Number(row.rate)).toBeCloseTo(0.1045, 6);
  });
});
