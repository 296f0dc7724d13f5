import { describeEachDatabase } from '../support/databases';
import { createMigrator, migrate } from '../../data/migrations';

/** Migration 002: reversible, and its indexes serve the repositories' lookups (EXPLAIN on both databases). */
describeEachDatabase('migration 002-conversations', (ctx) => {
  /** The plan of a statement as text; on PostgreSQL with sequential scans disabled (tiny test tables would not use an index anyway). */
  async function plan(sql: string): Promise<string> {
    if (ctx.db.dialect === 'sqlite') {
      const rows = await ctx.db.sql.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
      return rows.map((r) => r.detail).join('\n');
    }
    return ctx.db.sequelize.transaction(async (t) => {
      await ctx.db.sequelize.query('SET LOCAL enable_seqscan = off', { transaction: t });
      const [rows] = await ctx.db.sequelize.query(`EXPLAIN ${sql}`, { transaction: t });
      return (rows as Array<Record<string, string>>).map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  it.each([
    ["SELECT id FROM shipments s WHERE upper(s.shipment_id) = upper('shp-1')", 'shipments_shipment_id_upper_idx'],
    ["SELECT id FROM shipments s WHERE upper(s.order_id) = upper('ord-1')", 'shipments_order_id_upper_idx'],
    ["SELECT id FROM shipments x WHERE upper(x.po_number) = upper('po-1')", 'shipments_po_number_upper_idx'],
    ["SELECT id FROM orders o WHERE upper(o.id) = upper('ord-1')", 'orders_id_upper_idx'],
    ["SELECT id FROM orders o WHERE upper(o.po_number) = upper('po-1')", 'orders_po_number_upper_idx'],
    ["SELECT id FROM orders WHERE request_key = 'k'", 'orders_request_key_uq'],
    ["SELECT i.id FROM invoices i WHERE REPLACE(UPPER(TRIM(i.invoice_number)), ' ', '') = 'INV-1'", 'invoices_number_norm_idx'],
    ["SELECT id FROM shipments s WHERE s.status IN ('pending', 'in_transit', 'exception') AND s.promised_date < '2026-03-18'", 'shipments_status_promised_idx'],
    ["SELECT state FROM conversation_states WHERE key = 'k'", 'conversation_states_key_uq'],
    ["SELECT id FROM invoice_disputes d WHERE d.request_key = 'k'", 'invoice_disputes_request_key_uq'],
  ])('%s uses %s', async (sql, index) => {
    expect(await plan(sql)).toContain(index);
  });

  it('goes down and up again', async () => {
    await createMigrator(ctx.db.sequelize).down({ to: '002-conversations' });
    const tables = async () =>
      (
        await ctx.db.sql.query<{ name: string }>(
          ctx.db.dialect === 'postgres'
            ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()'
            : "SELECT name FROM sqlite_master WHERE type = 'table'",
        )
      ).map((r) => r.name);
    expect(await tables()).not.toContain('conversation_states');
    expect(await tables()).toContain('orders');
    // Later migrations go down with it and come back up after it.
    expect((await migrate(ctx.db.sequelize))[0]).toBe('002-conversations');
    expect(await tables()).toEqual(expect.arrayContaining(['conversation_states', 'invoice_disputes']));
  });
});
