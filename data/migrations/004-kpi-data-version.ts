import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

/**
 * The version of the data the KPIs read, for the KPI result cache (domain/kpi/resultCache.ts): the sum
 * of `kpi_data_changes.n`, moved by triggers on every committed change to shipments, invoices, invoice
 * lines, audit findings, customers and carriers, whoever makes it (the importer, the audit, a cancelled
 * order, another replica, someone in psql). The sum is read in a snapshot like any other data, so a
 * change and its version become visible together.
 *
 * SQLite has row triggers only and one writer at a time: one row, incremented per changed row (a
 * fraction of a microsecond per row of an import). PostgreSQL has statement triggers and concurrent
 * writers: each writing statement inserts a row (inserts never wait for each other, where
 * incrementing one shared row would queue every writer behind the others and could deadlock an import
 * with a cancellation); readers fold old rows into one now and then (data/kpiDataVersion.ts).
 */
export const KPI_TABLES = ['shipments', 'invoices', 'invoice_lines', 'audit_findings', 'customers', 'carriers'] as const;

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  await qi.createTable('kpi_data_changes', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
    n: { type: DataTypes.BIGINT, allowNull: false },
  });
  if (qi.sequelize.getDialect() === 'sqlite') {
    await q('INSERT INTO kpi_data_changes (id, n) VALUES (1, 0)');
    for (const table of KPI_TABLES) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        await q(`CREATE TRIGGER ${table}_${op.toLowerCase()}_kpi_version AFTER ${op} ON ${table}
          BEGIN UPDATE kpi_data_changes SET n = n + 1 WHERE id = 1; END`);
      }
    }
    return;
  }
  // Qualified by schema: a session with another search_path (psql, an admin script) still finds the table.
  const [{ schema }] = await qi.sequelize.query<{ schema: string }>('SELECT current_schema() AS schema', { type: QueryTypes.SELECT });
  const s = `"${schema.replace(/"/g, '""')}"`;
  await q(`CREATE FUNCTION ${s}.kpi_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO ${s}.kpi_data_changes (n) VALUES (1); RETURN NULL; END $$`);
  for (const table of KPI_TABLES) {
    await q(`CREATE TRIGGER ${table}_kpi_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${s}.${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.kpi_data_changed()`);
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  if (qi.sequelize.getDialect() === 'sqlite') {
    for (const table of KPI_TABLES) for (const op of ['insert', 'update', 'delete']) await q(`DROP TRIGGER IF EXISTS ${table}_${op}_kpi_version`);
  } else {
    for (const table of KPI_TABLES) await q(`DROP TRIGGER IF EXISTS ${table}_kpi_version ON ${table}`);
    await q('DROP FUNCTION IF EXISTS kpi_data_changed()');
  }
  await qi.dropTable('kpi_data_changes');
}
