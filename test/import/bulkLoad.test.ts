import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeOnPostgres, freshDatabase } from '../support/databases';
import { openDatabase, type Database } from '../../data/db';
import { migrate } from '../../data/migrations';
import { projectRoot } from '../../bot/projectRoot';
import { createImportService } from '../../data/import/importService';
import { openRawConnection } from '../../data/import/rawConnection';
import { startBulkLoad } from '../../data/import/bulkLoad';
import { generateCsv, type GeneratedFiles } from '../bench/generateCsv';
import { silentLogger } from '../../domain/logger';
import type { ImportKind } from '../../domain/import/types';
import { TODAY } from './helpers';

/**
 * PostgreSQL bulk load (data/import/bulkLoad.ts): a large import into a small table drops the
 * secondary indexes and foreign keys of its tables first and recreates them at the end; a killed one
 * leaves them listed in import_dropped_indexes, and the next start (migrate) or import recreates them,
 * unless a bulk load of the schema is still running. The threshold is lowered here so that files of a
 * few thousand rows bulk-load.
 */
const TABLES = ['shipments', 'orders', 'invoice_lines', 'invoices'];
const SHIPMENTS = 3_000;

/** Every index and foreign key of the import tables, by name, with its definition. */
async function schemaObjects(db: Database): Promise<Record<string, string>> {
  const [rows] = await db.sequelize.query(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (:tables)
     UNION ALL
     SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN (:tables) AND c.contype = 'f'`,
    { replacements: { tables: TABLES } },
  );
  return Object.fromEntries((rows as Array<{ name: string; def: string }>).map((r) => [r.name, r.def]));
}

/**
 * Starts a bulk load in a process of its own that then dies (its session is terminated, as a SIGKILL
 * of the importer ends it): what it dropped stays dropped.
 */
async function bulkLoadThatDies(db: Database, url: string, kind: ImportKind): Promise<void> {
  const dying = await openDatabase({ url, projectRoot: projectRoot() });
  const conn = await openRawConnection(dying);
  expect(await startBulkLoad(conn, kind, 10_000, 1)).toBeDefined();
  const [{ pid }] = await conn.all<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  await db.sequelize.query('SELECT pg_terminate_backend(:pid)', { replacements: { pid } });
  for (let i = 0; i < 100; i++) {
    const [alive] = await db.sequelize.query('SELECT 1 FROM pg_stat_activity WHERE pid = :pid', { replacements: { pid } });
    if ((alive as unknown[]).length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await dying.close().catch(() => undefined);
}

async function ledger(db: Database): Promise<string[]> {
  const [rows] = await db.sequelize.query('SELECT name FROM import_dropped_indexes ORDER BY name');
  return (rows as Array<{ name: string }>).map((r) => r.name);
}

/** What an import stored, in a form two databases can be compared by. */
async function contents(db: Database): Promise<unknown[]> {
  const [ship] = await db.sequelize.query(
    `SELECT s.shipment_id, s.order_id, s.status, CAST(s.delivered_date AS TEXT) AS d, s.freight_cost, cu.name AS customer, ca.name AS carrier
     FROM shipments s JOIN customers cu ON cu.id = s.customer_id JOIN carriers ca ON ca.id = s.carrier_id ORDER BY s.shipment_id`,
  );
  const [orders] = await db.sequelize.query('SELECT id, status, po_number FROM orders ORDER BY id');
  const [lines] = await db.sequelize.query(
    `SELECT l.line_key, i.invoice_number, l.amount, l.shipment_ref FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id ORDER BY l.line_key`,
  );
  return [ship, orders, lines];
}

describeOnPostgres('PostgreSQL bulk load of large imports', (pg) => {
  let dir: string;
  let files: GeneratedFiles;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-bulk-'));
    files = await generateCsv(dir, SHIPMENTS, TODAY);
    // Ten shipments of the first batch stated again at the end, as exceptions: the last batch meets
    // keys already stored (a COPY straight into the table cannot take it; the batch upserts).
    const lines = fs.readFileSync(files.shipments, 'utf8').trimEnd().split('\n');
    const again = lines.slice(1, 11).map((l) => {
      const cells = l.split(',');
      cells[12] = 'exception';
      return cells.join(',');
    });
    fs.appendFileSync(files.shipments, `${again.join('\n')}\n`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function importAll(db: Database, minRows: number, onBatchesUnderway?: () => void) {
    const importer = createImportService(db, { logger: silentLogger, today: () => TODAY, bulkLoadMinRows: minRows });
    const run = (kind: ImportKind, file: string) =>
      importer.importFile(kind, file, {
        batchSize: 500,
        // Called as rows are read, after the first batches went to the database.
        onProgress: (p) => (p.rowsRead === 2_000 ? onBatchesUnderway?.() : undefined),
      });
    await run('rates', files.rates);
    const shipments = await run('shipments', files.shipments);
    const invoices = await run('invoices', files.invoices);
    return { shipments, invoices };
  }

  it('drops secondary indexes and foreign keys while it loads, puts every one back, and stores what an ordinary import stores', async () => {
    const bulk = await freshDatabase(pg);
    const ordinary = await freshDatabase(pg);
    try {
      const declared = await schemaObjects(bulk.db);
      let during: Promise<Record<string, string>> | undefined;
      const summary = await importAll(bulk.db, 1, () => {
        during ??= schemaObjects(bulk.db);
      });
      const whileLoading = await during!;
      // Gone while loading: the KPI date indexes and the foreign keys; kept: primary and unique keys
      // (the upserts' conflict targets) and the index the order refresh reads shipments by.
      expect(Object.keys(declared).filter((n) => !(n in whileLoading)).sort()).toEqual(
        expect.arrayContaining(['shipments_ship_date_idx', 'shipments_customer_id_fkey', 'orders_id_upper_idx']),
      );
      expect(Object.keys(whileLoading)).toEqual(expect.arrayContaining(['shipments_pkey', 'shipments_shipment_id_uq', 'shipments_order_id_idx', 'orders_pkey']));
      expect(await schemaObjects(bulk.db)).toEqual(declared);
      expect(await ledger(bulk.db)).toEqual([]);

      const plain = await importAll(ordinary.db, Number.MAX_SAFE_INTEGER);
      expect(summary).toMatchObject({
        shipments: { rowsRead: SHIPMENTS + 10, inserted: SHIPMENTS, updated: 10 },
        invoices: { inserted: plain.invoices.inserted, updated: 0 },
      });
      expect(plain.shipments).toMatchObject({ inserted: SHIPMENTS, updated: 10 });
      const stored = await contents(bulk.db);
      expect((stored[0] as Array<{ status: string }>).filter((r) => r.status === 'exception')).toHaveLength(10);
      expect(stored).toEqual(await contents(ordinary.db));
    } finally {
      await bulk.cleanup();
      await ordinary.cleanup();
    }
  }, 120_000);

  it('after an importer died mid-load, the next start recreates what it dropped; not while another bulk load runs', async () => {
    const fresh = await freshDatabase(pg);
    try {
      const declared = await schemaObjects(fresh.db);
      await bulkLoadThatDies(fresh.db, fresh.url, 'shipments');
      const dropped = await ledger(fresh.db);
      expect(dropped).toEqual(expect.arrayContaining(['shipments_ship_date_idx', 'shipments_carrier_id_fkey']));
      expect(Object.keys(await schemaObjects(fresh.db))).not.toContain('shipments_ship_date_idx');

      // A bulk load of the schema is under way in another process: a start leaves its work to it.
      const running = await openDatabase({ url: fresh.url, projectRoot: projectRoot() });
      const runningConn = await openRawConnection(running);
      const load = await startBulkLoad(runningConn, 'invoices', 10_000, 1);
      expect(load).toBeDefined();
      await migrate(fresh.db.sequelize);
      expect(await ledger(fresh.db)).toEqual(expect.arrayContaining(dropped));
      // It finishes: it recreates what it dropped and what the dead importer had dropped.
      await load!.finish();
      await runningConn.close();
      await running.close();
      expect(await schemaObjects(fresh.db)).toEqual(declared);
      expect(await ledger(fresh.db)).toEqual([]);

      // Killed again; this time nothing else runs and the next start repairs.
      await bulkLoadThatDies(fresh.db, fresh.url, 'invoices');
      expect((await ledger(fresh.db)).length).toBeGreaterThan(0);
      await migrate(fresh.db.sequelize);
      expect(await schemaObjects(fresh.db)).toEqual(declared);
      expect(await ledger(fresh.db)).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  }, 120_000);

  it('an ordinary import recreates what a dead bulk import dropped before it writes', async () => {
    const fresh = await freshDatabase(pg);
    try {
      const declared = await schemaObjects(fresh.db);
      await bulkLoadThatDies(fresh.db, fresh.url, 'shipments');
      expect((await ledger(fresh.db)).length).toBeGreaterThan(0);
      // Too small to bulk-load: an ordinary import, which first puts the indexes back.
      let during: Promise<Record<string, string>> | undefined;
      await importAll(fresh.db, Number.MAX_SAFE_INTEGER, () => {
        during ??= schemaObjects(fresh.db);
      });
      expect(await during!).toEqual(declared);
      expect(await ledger(fresh.db)).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  }, 120_000);
});
