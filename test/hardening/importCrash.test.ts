import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '../../data/db';
import { migrate } from '../../data/migrations';
import { DEFAULT_BATCH_SIZE } from '../../data/import/importService';
import { orderStatusFrom } from '../../domain/import/rows';
import type { ShipmentStatus } from '../../domain/import/values';
import type { ImportSummary } from '../../domain/import/types';
import { projectRoot } from '../../bot/projectRoot';
import { TEST_DB_TARGETS } from '../support/databases';
import { day } from '../import/helpers';
import { lineContent, writeInvoicesCsv, writeShipmentsCsv, type InvoiceLine, type ShipmentLine } from './crashFiles';
import { killWhen, openProbe, schemaOf, startImport, waitBackendsGone, walSize, type ImporterSessions, type ImportRun } from './crashProbe';

/**
 * Hardening, crash safety: a real `waybill import` (node dist/bot/cli/main.js) is SIGKILLed while it
 * writes, on SQLite and PostgreSQL. Each file is imported three times: killed early (once the first
 * batch is committed), killed again late in the rerun (past 60% of the file), then run to the end.
 * After each kill the database, opened afresh, holds exactly the rows of the file's first whole batches
 * (a batch is the importer's unit of atomicity, DEFAULT_BATCH_SIZE rows, one transaction; for
 * invoices it ends at an invoice boundary): shipments, their updates, orders, customers and carriers of
 * the next batch are all absent, no invoice has part of its lines, every order's status is that of its
 * stored shipments; SQLite passes integrity_check after recovering the WAL, PostgreSQL has no session,
 * lock or staging table left of the dead importer. The last run exits 0 with a summary whose figures
 * follow from what the killed runs had committed, and the database holds each row of the file once.
 */
const TODAY = '2026-11-24';
const B = DEFAULT_BATCH_SIZE;
const SHIPMENT_ROWS = 150_000;
const INVOICE_LINES = 100_000;
const LATE = 0.6;

let dir: string;
let shipmentsFile: string;
let invoicesFile: string;
let shipmentLines: ShipmentLine[];
let invoiceLines: InvoiceLine[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-crash-'));
  shipmentsFile = path.join(dir, 'shipments.csv');
  invoicesFile = path.join(dir, 'invoices.csv');
  shipmentLines = await writeShipmentsCsv(shipmentsFile, SHIPMENT_ROWS, TODAY);
  invoiceLines = await writeInvoicesCsv(invoicesFile, INVOICE_LINES, TODAY);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const select = <T>(db: Database, sql: string) => db.sequelize.query(sql, { type: QueryTypes.SELECT }) as Promise<T[]>;

/** Differences between two sets, a few of each: [] when equal (readable when not). */
function setDiff(actual: Iterable<string>, expected: Set<string>): string[] {
  const a = new Set(actual);
  const missing = [...expected].filter((x) => !a.has(x)).slice(0, 5).map((x) => `missing ${x}`);
  const extra = [...a].filter((x) => !expected.has(x)).slice(0, 5).map((x) => `extra ${x}`);
  return [...missing, ...extra];
}

/** Each value's count. */
function multiset(values: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function multisetDiff(actual: Map<string, number>, expected: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of expected) if ((actual.get(k) ?? 0) !== n) out.push(`${k}: ${actual.get(k) ?? 0} stored, ${n} expected`);
  for (const [k, n] of actual) if (!expected.has(k)) out.push(`${k}: ${n} stored, none expected`);
  return out.slice(0, 5);
}

/** Where the shipments file's batches end: every B rows (the file has no rejected rows). */
function shipmentCuts(): number[] {
  const cuts: number[] = [];
  for (let end = B; end < shipmentLines.length; end += B) cuts.push(end);
  return cuts;
}

/**
 * Where the invoices file's batches end: at the first invoice boundary once a batch has B lines
 * (data/import/importService.ts), so an invoice whose lines are consecutive is never split.
 */
function invoiceCuts(): number[] {
  const cuts: number[] = [];
  let start = 0;
  for (let i = 1; i < invoiceLines.length; i++) {
    if (i - start >= B && invoiceLines[i].doc !== invoiceLines[i - 1].doc) {
      cuts.push(i);
      start = i;
    }
  }
  return cuts;
}

/** The end of the batches after which `distinct` shipments are stored (the count grows with every batch). */
let endByStoredCount: Map<number, number> | undefined;
function shipmentBatchesEnd(stored: number): number | undefined {
  if (!endByStoredCount) {
    endByStoredCount = new Map();
    const cuts = new Set(shipmentCuts());
    const seen = new Set<string>();
    shipmentLines.forEach((l, i) => {
      if (cuts.has(i)) endByStoredCount!.set(seen.size, i);
      seen.add(l.id);
    });
  }
  return endByStoredCount.get(stored);
}

/** What the first `rows` lines of the shipments file leave in the database. */
function shipmentsAfter(rows: number) {
  const byId = new Map<string, ShipmentLine>();
  const customers = new Set<string>();
  const carriers = new Set<string>();
  for (let i = 0; i < rows; i++) {
    const l = shipmentLines[i];
    const prev = byId.get(l.id);
    byId.set(l.id, prev ? { ...prev, delivered: l.delivered ?? prev.delivered } : l);
    customers.add(l.customerKey);
    carriers.add(l.carrierKey);
  }
  return { byId, customers, carriers, orders: new Set([...byId.values()].map((s) => s.order)) };
}

/** Opens the database the way the next process would, after the kill, and checks it opens cleanly. */
async function openAfterKill(url: string, run: ImportRun, killed: { sessions: ImporterSessions }): Promise<Database> {
  const ended = await run.exited;
  expect(ended).toEqual({ code: null, signal: 'SIGKILL' });
  if (url.startsWith('sqlite:')) {
    // The kill left a WAL behind (no connection is open now): opening recovers it.
    expect(walSize(url)).toBeGreaterThan(0);
    const db = await openDatabase({ url, projectRoot: projectRoot() });
    expect(await select(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    return db;
  }
  const db = await openDatabase({ url, projectRoot: projectRoot() });
  // The importer was inside a transaction with its staging tables when it died.
  expect(killed.sessions.pids.length).toBeGreaterThan(0);
  expect(killed.sessions.tempTables.length).toBeGreaterThan(0);
  await waitBackendsGone(db, killed.sessions.pids);
  const schema = schemaOf(url)!;
  const [locks] = await select<{ n: string }>(
    db,
    'SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace ' +
      `WHERE n.nspname = '${schema}' AND l.pid <> pg_backend_pid()`,
  );
  expect(Number(locks.n)).toBe(0);
  const [temps] = await select<{ n: string }>(db, `SELECT count(*) AS n FROM pg_class WHERE oid IN (${killed.sessions.tempTables.join(',')})`);
  expect(Number(temps.n)).toBe(0);
  const [prepared] = await select<{ n: string }>(db, 'SELECT count(*) AS n FROM pg_prepared_xacts WHERE database = current_database()');
  expect(Number(prepared.n)).toBe(0);
  return db;
}

/** The shipments, orders, customers and carriers stored are those of the file's first k whole batches; returns k*B. */
async function expectShipmentBatches(db: Database): Promise<number> {
  const stored = await select<{ id: string; o: string | null; st: ShipmentStatus; d: unknown }>(db, 'SELECT shipment_id AS id, order_id AS o, status AS st, delivered_date AS d FROM shipments');
  const end = shipmentBatchesEnd(stored.length);
  if (end === undefined) throw new Error(`${stored.length} shipments stored: not the shipments of a whole number of batches of ${B} rows`);
  const expected = shipmentsAfter(end);
  expect(setDiff(stored.map((s) => s.id), new Set(expected.byId.keys()))).toEqual([]);
  // Updates of stored shipments (re-stated delivered dates) are in exactly when their batch is.
  expect(stored.filter((s) => day(s.d) !== expected.byId.get(s.id)!.delivered).slice(0, 5)).toEqual([]);
  expect(setDiff((await select<{ k: string }>(db, 'SELECT name_key AS k FROM customers')).map((r) => r.k), expected.customers)).toEqual([]);
  expect(setDiff((await select<{ k: string }>(db, 'SELECT name_key AS k FROM carriers')).map((r) => r.k), expected.carriers)).toEqual([]);
  await expectOrdersFollowShipments(db, stored, expected.orders);
  return end;
}

/** Every order of a stored shipment exists, no other, and its status is the one its stored shipments give. */
async function expectOrdersFollowShipments(db: Database, stored: Array<{ o: string | null; st: ShipmentStatus }>, expectedOrders: Set<string>): Promise<void> {
  const statuses = new Map<string, ShipmentStatus[]>();
  for (const s of stored) if (s.o) statuses.set(s.o, [...(statuses.get(s.o) ?? []), s.st]);
  const orders = await select<{ id: string; status: string }>(db, 'SELECT id, status FROM orders');
  expect(setDiff(orders.map((o) => o.id), expectedOrders)).toEqual([]);
  expect(orders.filter((o) => o.status !== orderStatusFrom(statuses.get(o.id) ?? [])).slice(0, 5)).toEqual([]);
}

async function storedLines(db: Database): Promise<Array<{ doc: string; content: string }>> {
  const rows = await select<{ n: string; ck: string; d: unknown; s: string | null; t: string; c: string | null; w: unknown; a: unknown }>(
    db,
    'SELECT i.invoice_number AS n, k.name_key AS ck, i.invoice_date AS d, l.shipment_ref AS s, l.charge_type AS t, l.charge_code AS c, ' +
      'l.billed_weight_kg AS w, l.amount AS a FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN carriers k ON k.id = i.carrier_id',
  );
  return rows.map((r) => ({ doc: `${r.ck}|${r.n}|${day(r.d)}`, content: lineContent(r.n, r.s, r.t, r.c, r.w, r.a) }));
}

/** The invoice lines stored are the file's first whole batches: whole invoices only; returns the lines in them. */
async function expectInvoiceBatches(db: Database): Promise<number> {
  const stored = await storedLines(db);
  const end = invoiceCuts().find((c) => c === stored.length);
  if (end === undefined) throw new Error(`${stored.length} invoice lines stored: not the lines of a whole number of batches`);
  const prefix = invoiceLines.slice(0, end);
  expect(multisetDiff(multiset(stored.map((l) => l.content)), multiset(prefix.map((l) => l.content)))).toEqual([]);
  // No invoice has only part of its lines (the multiset above says so too; this says it in the words).
  const inFile = multiset(invoiceLines.map((l) => l.doc));
  const partial = [...multiset(stored.map((l) => l.doc))].filter(([doc, n]) => inFile.get(doc) !== n);
  expect(partial.slice(0, 5)).toEqual([]);
  const docs = await select<{ n: string }>(db, 'SELECT count(*) AS n FROM invoices');
  expect(Number(docs[0].n)).toBe(new Set(prefix.map((l) => l.doc)).size);
  expect(setDiff((await select<{ k: string }>(db, 'SELECT name_key AS k FROM carriers')).map((r) => r.k), new Set(prefix.map((l) => l.carrierKey)))).toEqual([]);
  return end;
}

function summaryOf(run: ImportRun): ImportSummary {
  const line = run.stdout().trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as ImportSummary;
  } catch {
    throw new Error(`no JSON summary on stdout:\n${run.stdout()}\n${run.stderr()}`);
  }
}

for (const target of TEST_DB_TARGETS) {
  describe(`import crash safety: SIGKILL half way, then rerun [${target.name}]`, () => {
    let url: string;
    const env = () => ({ DATABASE_URL: url, WAYBILL_NOW: `${TODAY}T12:00:00Z` });

    beforeAll(async () => {
      url = target.freshUrl();
      const db = await openDatabase({ url, projectRoot: projectRoot() });
      await migrate(db.sequelize);
      // Closed: on SQLite no connection may be open when the importer dies, so the next open recovers the WAL.
      await db.close();
    }, 60_000);
    afterAll(() => target.dispose(url));

    /** Starts an import and SIGKILLs it once `reached(rows committed)` holds; the database opened afterwards. */
    async function killedImport(kind: string, file: string, table: string, reached: (rows: number) => boolean) {
      const probe = await openProbe(url);
      const run = startImport(kind, file, env());
      let killed: Awaited<ReturnType<typeof killWhen>>;
      try {
        killed = await killWhen(run, probe, table, reached);
        await run.exited;
      } finally {
        await probe.close();
      }
      return openAfterKill(url, run, killed);
    }

    async function completedImport(kind: string, file: string): Promise<ImportSummary> {
      const run = startImport(kind, file, env());
      const ended = await run.exited;
      expect({ ...ended, stderr: run.stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
      return summaryOf(run);
    }

    it('shipments: killed early, killed late in the rerun, then rerun to the end', async () => {
      const distinct = shipmentsAfter(shipmentLines.length);

      // Early: as soon as the first batch is committed.
      let db = await killedImport('shipments', shipmentsFile, 'shipments', (n) => n > 0);
      const early = await expectShipmentBatches(db);
      await db.close();
      expect(early).toBeGreaterThanOrEqual(B);

      // Late, in the rerun (which first re-writes what the first run left, then goes on).
      db = await killedImport('shipments', shipmentsFile, 'shipments', (n) => n >= LATE * distinct.byId.size);
      const late = await expectShipmentBatches(db);
      await db.close();
      expect(late).toBeGreaterThan(early);
      expect(late).toBeLessThan(shipmentLines.length);
      const storedBefore = shipmentsAfter(late).byId.size;

      const summary = await completedImport('shipments', shipmentsFile);
      // Inserted: the shipments the killed runs had not committed; every other row of the file updates one.
      expect(summary).toMatchObject({ rowsRead: SHIPMENT_ROWS, inserted: distinct.byId.size - storedBefore, updated: SHIPMENT_ROWS - (distinct.byId.size - storedBefore), rejected: 0 });

      db = await openDatabase({ url, projectRoot: projectRoot() });
      try {
        const [n] = await select<{ n: string; d: string }>(db, 'SELECT count(*) AS n, count(DISTINCT shipment_id) AS d FROM shipments');
        expect({ rows: Number(n.n), distinct: Number(n.d) }).toEqual({ rows: distinct.byId.size, distinct: distinct.byId.size });
        const stored = await select<{ id: string; o: string | null; st: ShipmentStatus; d: unknown }>(db, 'SELECT shipment_id AS id, order_id AS o, status AS st, delivered_date AS d FROM shipments');
        expect(stored.filter((s) => day(s.d) !== distinct.byId.get(s.id)?.delivered).slice(0, 5)).toEqual([]);
        const [o] = await select<{ n: string; d: string }>(db, 'SELECT count(*) AS n, count(DISTINCT id) AS d FROM orders');
        expect({ rows: Number(o.n), distinct: Number(o.d) }).toEqual({ rows: distinct.orders.size, distinct: distinct.orders.size });
        await expectOrdersFollowShipments(db, stored, distinct.orders);
        const [c] = await select<{ n: string; d: string }>(db, 'SELECT count(*) AS n, count(DISTINCT name_key) AS d FROM customers');
        expect({ rows: Number(c.n), distinct: Number(c.d) }).toEqual({ rows: distinct.customers.size, distinct: distinct.customers.size });
      } finally {
        await db.close();
      }
    }, 150_000);

    it('invoices: killed early, killed late in the rerun, then rerun to the end; never part of an invoice', async () => {
      // Early: as soon as the first batch is committed.
      let db = await killedImport('invoices', invoicesFile, 'invoice_lines', (n) => n > 0);
      const early = await expectInvoiceBatches(db);
      await db.close();
      expect(early).toBeGreaterThanOrEqual(B);

      db = await killedImport('invoices', invoicesFile, 'invoice_lines', (n) => n >= LATE * invoiceLines.length);
      const late = await expectInvoiceBatches(db);
      await db.close();
      expect(late).toBeGreaterThan(early);
      expect(late).toBeLessThan(invoiceLines.length);

      const summary = await completedImport('invoices', invoicesFile);
      // Every line is its own row (identical lines too): the killed runs' lines are updated, the rest inserted.
      const total = invoiceLines.length;
      expect(summary).toMatchObject({ rowsRead: total, inserted: total - late, updated: late, rejected: 0 });

      db = await openDatabase({ url, projectRoot: projectRoot() });
      try {
        const stored = await storedLines(db);
        expect(stored.length).toBe(total);
        expect(multisetDiff(multiset(stored.map((l) => l.content)), multiset(invoiceLines.map((l) => l.content)))).toEqual([]);
        const [k] = await select<{ n: string; d: string }>(db, 'SELECT count(*) AS n, count(DISTINCT line_key) AS d FROM invoice_lines');
        expect(Number(k.d)).toBe(Number(k.n));
        const [i] = await select<{ n: string; d: string }>(db, "SELECT count(*) AS n, count(DISTINCT invoice_number || '|' || carrier_id) AS d FROM invoices");
        const docs = new Set(invoiceLines.map((l) => l.doc)).size;
        expect({ rows: Number(i.n), distinct: Number(i.d) }).toEqual({ rows: docs, distinct: docs });
      } finally {
        await db.close();
      }
    }, 150_000);
  });
}
