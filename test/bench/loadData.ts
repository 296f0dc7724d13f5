import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { generateCsv } from './generateCsv';
import { addDays } from '../../domain/dates';
import { mulberry32 } from '../../domain/seed/prng';
import { openDatabase, type Database } from '../../data/db';
import { projectRoot } from '../../bot/projectRoot';
import { loadConfig } from '../../bot/config';
import { createApp } from '../../bot/container';
import { createLogger } from '../../bot/logger';
import { importInChild } from './runImportChild';

/**
 * The load benchmark's database: the data benchmark's generator (a year of shipments, two invoice
 * lines each, lane contracts) with real customer-like names, tracking events for every shipment, all
 * loaded by the real importer (test/bench/importChild.ts, one process per file) and audited once, so
 * invoice accuracy has findings to count. Built once and cached, keyed by size and seed:
 *   SQLite      var/bench/load-<N>-s<seed>-v<FORMAT>.sqlite
 *   PostgreSQL  schema wbload_<N>_s<seed>_v<FORMAT>
 * A build goes to a temporary file or schema that is renamed when complete, so an interrupted build
 * is never mistaken for a cached one.
 */
export const TODAY = '2026-11-24';
/** The bots' fixed "now": the data ends on TODAY, so "yesterday" and "last month" always mean the same rows. */
export const NOW = `${TODAY}T12:00:00Z`;
/** Bump when the generated data changes, so old caches are not reused. */
const FORMAT = 1;

/** 60 customers with distinct first words, so "Acme" means Acme Corp and nothing else. */
export const LOAD_CUSTOMERS = [
  'Acme Corp', 'Globex', 'Initech', 'Umbrella Corp', 'Stark Industries', 'Wayne Enterprises', 'Hooli', 'Soylent Corp',
  'Cyberdyne Systems', 'Tyrell Corp', 'Wonka Industries', 'Vandelay Industries', 'Northwind Traders', 'Contoso', 'Fabrikam',
  'Tailspin Toys', 'Wingtip Toys', 'Litware', 'Proseware', 'Adventure Works', 'Massive Dynamic', 'Oceanic Foods',
  'Duff Beverages', 'Krusty Foods', 'Monarch Paper', 'Dunder Mifflin', 'Sterling Cooper', 'Pied Piper', 'Prestige Worldwide',
  'Bluth Company', 'Nakatomi Trading', 'Oscorp', 'Rekall', 'Virtucon', 'Weyland Yutani', 'Zorg Industries', 'Aperture Science',
  'Black Mesa', 'Gadgetron', 'Spacely Sprockets', 'Cogswell Cogs', 'Sirius Cybernetics', 'Buy n Large', 'Omni Consumer Products',
  'Blue Sun', 'Los Pollos Hermanos', 'Paper Street Soap', 'Initrode', 'Mooby Foods', 'Big Kahuna Burger', 'Kwik E Mart',
  'Brawndo', 'Pendant Publishing', 'Gannon Logistics', 'Plumbus Works', 'Stay Puft', 'Ewing Oil', 'Wolfram Hart', 'Yoyodyne',
  'Frobozz Magic',
];

export interface LoadDataSpec {
  shipments: number;
  seed: number;
}

export const cacheKey = (s: LoadDataSpec) => `${s.shipments}-s${s.seed}-v${FORMAT}`;

const log = (s: string) => process.stderr.write(`${s}\n`);

/**
 * events.csv from shipments.csv: picked up at the origin on the ship date, at a hub half-way, out for
 * delivery and delivered on the delivered date; shipments still on the road stop at the hub, about one
 * in twenty of those overdue with a carrier exception. Cancelled shipments have no events.
 */
async function writeEvents(shipmentsCsv: string, out: string, seed: number): Promise<number> {
  const r = mulberry32(seed + 1000);
  const w = fs.createWriteStream(out);
  const write = async (s: string) => {
    if (!w.write(s)) await once(w, 'drain');
  };
  await write('shipment_id,event_time,status,location,description\n');
  const lines = readline.createInterface({ input: fs.createReadStream(shipmentsCsv), crlfDelay: Infinity });
  let first = true;
  let n = 0;
  let buf = '';
  const hhmm = () => `${String(6 + Math.floor(r() * 12)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}:00Z`;
  for await (const line of lines) {
    if (first) {
      first = false;
      continue;
    }
    // shipment_id,order_id,po_number,order_date,customer,carrier,mode,origin,destination,ship_date,promised_date,delivered_date,status,...
    const f = line.split(',');
    const [id, origin, destination, shipDate, promised, delivered, status] = [f[0], f[7], f[8], f[9], f[10], f[11], f[12]];
    if (!id || status === 'cancelled' || shipDate > TODAY) continue;
    buf += `${id},${shipDate}T${hhmm()},picked up,${origin},Picked up at shipper\n`;
    const hubDay = addDays(shipDate, 1);
    if (hubDay <= TODAY && (!delivered || hubDay < delivered)) buf += `${id},${hubDay}T${hhmm()},at hub,Memphis hub,Arrived at hub\n`;
    n += 2;
    if (delivered) {
      buf += `${id},${delivered}T05:${String(Math.floor(r() * 60)).padStart(2, '0')}:00Z,out for delivery,${destination},Out for delivery\n`;
      buf += `${id},${delivered}T${String(12 + Math.floor(r() * 6))}:${String(Math.floor(r() * 60)).padStart(2, '0')}:00Z,delivered,${destination},Delivered\n`;
      n += 2;
    } else if (promised < TODAY && r() < 0.05) {
      buf += `${id},${addDays(promised, 1)}T09:00:00Z,delayed,${destination},Consignee closed; redelivery scheduled\n`;
      n++;
    }
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  w.end();
  await once(w, 'finish');
  return n;
}


/** Generates the CSVs, imports them into `url` and audits every invoice. */
async function build(url: string, spec: LoadDataSpec, workDir: string): Promise<void> {
  const t0 = performance.now();
  fs.mkdirSync(workDir, { recursive: true });
  const files = await generateCsv(workDir, spec.shipments, TODAY, spec.seed, LOAD_CUSTOMERS);
  const eventsFile = path.join(workDir, 'events.csv');
  const events = await writeEvents(files.shipments, eventsFile, spec.seed);
  log(`  generated ${files.shipmentRows} shipments, ${files.invoiceRows} invoice lines, ${events} events in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  for (const [kind, file] of [['rates', files.rates], ['shipments', files.shipments], ['invoices', files.invoices], ['events', eventsFile]] as const) {
    const r = importInChild(url, kind, file, NOW);
    log(`  imported ${r.rowsRead} ${kind} in ${r.seconds.toFixed(0)} s${r.rejected ? ` (${r.rejected} rejected)` : ''}`);
  }
  const app = await createApp({ ...loadConfig({ ...process.env, WAYBILL_NOW: NOW }), databaseUrl: url }, { logger: createLogger('warn') });
  try {
    const t = performance.now();
    const audit = await app.audit.run({ period: { from: addDays(TODAY, -400), to: TODAY } });
    log(`  audited ${audit.invoices_checked} invoices (${audit.findings.length} findings) in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  } finally {
    await app.close();
  }
  fs.rmSync(workDir, { recursive: true, force: true });
}

/** The cached SQLite database (built when missing); returns its DATABASE_URL. */
export async function sqliteDatabase(spec: LoadDataSpec): Promise<string> {
  const dir = path.join(projectRoot(), 'var', 'bench');
  const file = path.join(dir, `load-${cacheKey(spec)}.sqlite`);
  if (fs.existsSync(file)) return `sqlite:${file}`;
  log(`building the SQLite load database ${file} (once; later runs reuse it) ...`);
  const t = performance.now();
  const tmp = `${file}.building`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  await build(`sqlite:${tmp}`, spec, path.join(dir, `load-${cacheKey(spec)}-csv`));
  // Fold the WAL into the file, so the cached database is one file.
  const db = await openDatabase({ url: `sqlite:${tmp}`, projectRoot: projectRoot() });
  await db.sequelize.query('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.close();
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, file);
  log(`built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return `sqlite:${file}`;
}

const withSchema = (base: string, schema: string) => {
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return u.toString();
};

/** The cached PostgreSQL schema (built when missing); returns its DATABASE_URL. */
export async function postgresDatabase(baseUrl: string, spec: LoadDataSpec): Promise<string> {
  const schema = `wbload_${cacheKey(spec).replace(/-/g, '_')}`;
  const admin = await openDatabase({ url: baseUrl, projectRoot: projectRoot() });
  try {
    const [row] = await admin.sequelize.query<{ n: string }>('SELECT COUNT(*) AS n FROM pg_namespace WHERE nspname = ?', { replacements: [schema], type: 'SELECT' as never });
    if (Number(row.n) > 0) return withSchema(baseUrl, schema);
    log(`building the PostgreSQL load schema ${schema} (once; later runs reuse it) ...`);
    const t = performance.now();
    const tmp = `${schema}_building`;
    await admin.sequelize.query(`DROP SCHEMA IF EXISTS ${tmp} CASCADE`);
    await build(withSchema(baseUrl, tmp), spec, path.join(projectRoot(), 'var', 'bench', `load-${cacheKey(spec)}-pg-csv`));
    // A long-running database is vacuumed: index-only scans need the visibility map.
    const built = await openDatabase({ url: withSchema(baseUrl, tmp), projectRoot: projectRoot() });
    await built.sequelize.query('VACUUM ANALYZE');
    await built.close();
    await admin.sequelize.query(`ALTER SCHEMA ${tmp} RENAME TO ${schema}`);
    log(`built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    return withSchema(baseUrl, schema);
  } finally {
    await admin.close();
  }
}

/** What the questions are made of: real ids and names from the data, sampled at random. */
export interface DataSample {
  shipmentIds: string[];
  orderIds: string[];
  poNumbers: string[];
  customers: string[];
  carriers: string[];
  lanes: Array<{ origin: string; destination: string }>;
  /** The highest shipment number, so misses can be made just past it. */
  shipments: number;
}

export async function sampleData(url: string, seed: number): Promise<DataSample> {
  const db = await openDatabase({ url, projectRoot: projectRoot() });
  try {
    const q = <T>(text: string, params: Array<string | number> = []) => db.sql.query<T>(text, params);
    const [{ n, lo }] = await q<{ n: number | string; lo: number | string }>('SELECT MAX(id) AS n, MIN(id) AS lo FROM shipments');
    const r = mulberry32(seed + 7);
    const ids = Array.from({ length: 3000 }, () => Number(lo) + Math.floor(r() * (Number(n) - Number(lo) + 1)));
    const rows: Array<{ shipment_id: string; order_id: string | null; po_number: string | null }> = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      rows.push(...(await q<{ shipment_id: string; order_id: string | null; po_number: string | null }>(
        `SELECT shipment_id, order_id, po_number FROM shipments WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk)));
    }
    const names = async (table: string) => (await q<{ name: string }>(`SELECT name FROM ${table} ORDER BY name`)).map((x) => x.name);
    const lanes = await q<{ origin: string; destination: string }>('SELECT DISTINCT origin, destination FROM rates WHERE origin <> \'*\' ORDER BY origin, destination');
    const [{ total }] = await q<{ total: number | string }>('SELECT COUNT(*) AS total FROM shipments');
    return {
      shipmentIds: rows.map((x) => x.shipment_id),
      orderIds: rows.map((x) => x.order_id).filter((x): x is string => Boolean(x)),
      poNumbers: rows.map((x) => x.po_number).filter((x): x is string => Boolean(x)),
      customers: await names('customers'),
      carriers: await names('carriers'),
      lanes,
      shipments: Number(total),
    };
  } finally {
    await db.close();
  }
}

/**
 * Empties what a run writes (event claims, the action log, dialog state), so every run starts from
 * the same database; these tables hold nothing but earlier runs' traffic in a benchmark database.
 */
export async function resetRunTables(url: string): Promise<void> {
  const db: Database = await openDatabase({ url, projectRoot: projectRoot() });
  try {
    for (const t of ['processed_events', 'action_log', 'conversation_states']) await db.sequelize.query(`DELETE FROM ${t}`);
    if (db.dialect === 'sqlite') await db.sequelize.query('PRAGMA wal_checkpoint(TRUNCATE)');
    else await db.sequelize.query('VACUUM ANALYZE processed_events, action_log, conversation_states');
  } finally {
    await db.close();
  }
}
