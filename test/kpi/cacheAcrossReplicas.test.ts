import { describeEachDatabase } from '../support/databases';
import { clearBusinessData, insertInvoiceLines, insertShipments } from '../support/fixtures';
import { openDatabase, type Database } from '../../data/db';
import { createKpiDataVersion } from '../../data/kpiDataVersion';
import { createResultCache } from '../../domain/kpi/resultCache';
import { createKpiEngine } from '../../domain/kpi/engine';
import { createClock } from '../../domain/clock';
import { projectRoot } from '../../bot/projectRoot';
import { addFinding, OCTOBER } from './helpers';

/**
 * The KPI result cache is right across processes: two handles on one database (two replicas, or the
 * bot and `waybill import`), each with its own cache; whatever one of them (or plain SQL) changes in
 * a table the KPIs read, the other's next answer has it. Migration 004's version moves with every such
 * change and with nothing else.
 */
describeEachDatabase('KPI result cache across replicas', (ctx) => {
  let other: Database;
  const clock = createClock('UTC', new Date('2026-11-24T12:00:00Z'));
  // As the container wires it: on the read connection (SQLite's second connection).
  const engine = (db: Database) => createKpiEngine({ sql: db.readSql, clock, cache: createResultCache(createKpiDataVersion(db.sql)) });

  beforeAll(async () => {
    await clearBusinessData(ctx.db);
    other = await openDatabase({ url: ctx.url, projectRoot: projectRoot() });
    await insertShipments(ctx.db, [
      { shipment_id: 'C-1', ship_date: '2026-10-02', promised_date: '2026-10-05', delivered_date: '2026-10-04', carrier: 'DHL' },
      { shipment_id: 'C-2', ship_date: '2026-10-03', promised_date: '2026-10-06', delivered_date: '2026-10-09', carrier: 'DHL' },
    ]);
  });
  afterAll(() => other.close());

  it('sees another handle\'s writes to every table the KPIs read, and only after they commit', async () => {
    const replica = engine(ctx.db);
    const before = await replica.compare({ period: OCTOBER });
    expect(before.current.metrics.shipment_count).toBe(2);
    expect(before.current.metrics.on_time_rate).toBe(0.5);

    // Shipments, through the other handle (another replica).
    await insertShipments(other, [{ shipment_id: 'C-3', ship_date: '2026-10-04', promised_date: '2026-10-08', delivered_date: '2026-10-07', carrier: 'DHL' }]);
    const afterInsert = await replica.compute({ period: OCTOBER });
    expect(afterInsert.metrics.shipment_count).toBe(3);
    expect(afterInsert.metrics.on_time_rate).toBeCloseTo(2 / 3);

    // An update and a delete in plain SQL.
    await other.sql.query("UPDATE shipments SET delivered_date = '2026-10-05' WHERE shipment_id = 'C-2'");
    expect((await replica.compute({ period: OCTOBER })).metrics.on_time_rate).toBe(1);
    await other.sql.query("DELETE FROM shipments WHERE shipment_id = 'C-3'");
    expect((await replica.compute({ period: OCTOBER })).metrics.shipment_count).toBe(2);

    // Invoice lines and audit findings.
    await insertInvoiceLines(other, [{ invoice_number: 'INV-C1', carrier: 'DHL', invoice_date: '2026-10-10', shipment_id: 'C-1', charge_type: 'linehaul', amount: 100 }]);
    const spent = await replica.compute({ period: OCTOBER });
    expect(spent.metrics.freight_spend).toBe(100);
    expect(spent.metrics.invoice_accuracy).toBe(1);
    await addFinding(other, { carrier: 'DHL', invoice_number: 'INV-C1', invoice_date: '2026-10-10' });
    expect((await replica.compute({ period: OCTOBER })).metrics.invoice_accuracy).toBe(0);

    // A write of this very handle, on its main connection.
    await insertShipments(ctx.db, [{ shipment_id: 'C-5', ship_date: '2026-10-06', carrier: 'DHL', status: 'cancelled' }]);
    await ctx.db.sql.query("UPDATE shipments SET status = 'in_transit' WHERE shipment_id = 'C-5'");
    expect((await replica.compute({ period: OCTOBER })).metrics.shipment_count).toBe(3);
    await ctx.db.sql.query("DELETE FROM shipments WHERE shipment_id = 'C-5'");
    expect((await replica.compute({ period: OCTOBER })).metrics.shipment_count).toBe(2);

    // The trend too.
    const trend = await replica.trend({ period: { from: '2026-10-02', to: '2026-10-04' } });
    expect(trend.map((d) => d.shipments)).toEqual([1, 1, 0]);
    await insertShipments(other, [{ shipment_id: 'C-4', ship_date: '2026-10-04', carrier: 'DHL' }]);
    expect((await replica.trend({ period: { from: '2026-10-02', to: '2026-10-04' } })).map((d) => d.shipments)).toEqual([1, 1, 1]);

    // A transaction not yet committed is not seen, and neither is its version.
    const t = await other.sequelize.transaction();
    try {
      await other.sequelize.query("UPDATE shipments SET status = 'cancelled' WHERE shipment_id = 'C-4'", { transaction: t });
      expect((await replica.compute({ period: OCTOBER })).metrics.shipment_count).toBe(3);
      await t.commit();
    } catch (e) {
      await t.rollback();
      throw e;
    }
    expect((await replica.compute({ period: OCTOBER })).metrics.shipment_count).toBe(2);
  });

  it('the version moves with changes to the KPI tables and not with the bookkeeping every message writes', async () => {
    const version = createKpiDataVersion(ctx.db.sql);
    const v0 = await version();
    await ctx.db.sql.query("INSERT INTO action_log (at, actor, platform, action, result) VALUES ('2026-11-24 12:00:00.000 +00:00', 'x', 'slack', 'message', 'ok')");
    await ctx.db.sql.query("INSERT INTO processed_events (event_key, source, received_at) VALUES ('k-version', 'slack', '2026-11-24 12:00:00.000 +00:00')");
    expect(await version()).toBe(v0);
    await ctx.db.sql.query("UPDATE carriers SET name = name WHERE name_key = 'dhl'");
    expect(await version()).toBeGreaterThan(v0);
  });

  it('keeps the version when the change rows are folded into one (PostgreSQL)', async () => {
    if (ctx.db.dialect !== 'postgres') return;
    for (let i = 0; i < 1_005; i++) await ctx.db.sql.query('INSERT INTO kpi_data_changes (n) VALUES (1)');
    const version = createKpiDataVersion(ctx.db.sql);
    const v = await version(); // sees > 1,000 rows: folds them in the background
    const rows = async () => Number((await ctx.db.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM kpi_data_changes'))[0].n);
    for (let i = 0; i < 100 && (await rows()) > 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rows()).toBe(1);
    expect(await version()).toBe(v);
  });
});
