import { mulberry32 } from '../../domain/seed/prng';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../data/db';
import { migrate } from '../../data/migrations';
import { projectRoot } from '../../bot/projectRoot';
import { addDays } from '../../domain/dates';
import { createAuditEngine } from '../../domain/audit/engine';
import { DEFAULT_TOLERANCE } from '../../domain/audit/types';
import { createClock } from '../../domain/clock';
import type { SqlRunner } from '../../domain/sql';

/**
 * A quick audit benchmark (not a test): N shipments and about 2N invoice lines (linehaul + fuel,
 * ~5% discrepancies, some accessorials and unmatched lines) written with multi-row INSERTs, then the
 * audit of everything, twice (wall and process CPU time: the second run finds the findings stored).
 *   npx tsc -p tsconfig.json && node dist/test/audit/bench.js --shipments 100000
 * --url DATABASE_URL keeps the database (--reuse audits what it holds); --profile times every
 * statement (with SQLite's query plans; --explain adds PostgreSQL's EXPLAIN ANALYZE).
 */
const arg = (n: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const rng = mulberry32;

const CARRIERS = ['DHL', 'FedEx', 'UPS Freight', 'Maersk', 'XPO Logistics', 'J.B. Hunt', 'Old Dominion', 'Estes'];
const CITIES = ['Chicago', 'Dallas', 'Memphis', 'Atlanta', 'Houston', 'Denver', 'Newark', 'Boston', 'Los Angeles', 'Seattle', 'Miami', 'Phoenix'];
const TS = "'2026-01-01 00:00:00.000 +00:00'";
const q = (s: string | number | null) => (s === null ? 'NULL' : typeof s === 'number' ? String(s) : `'${s.replace(/'/g, "''")}'`);

async function insertRows(db: Database, table: string, cols: string[], rows: (string | number | null)[][]) {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => `(${r.map(q).join(',')},${TS},${TS})`).join(',');
    await db.sequelize.query(`INSERT INTO ${table} (${cols.join(',')},created_at,updated_at) VALUES ${chunk}`);
  }
}

async function generate(db: Database, n: number, today: string) {
  const r = rng(1);
  await insertRows(db, 'carriers', ['id', 'name', 'name_key'], CARRIERS.map((c, i) => [i + 1, c, c.toLowerCase()]));
  await insertRows(db, 'customers', ['id', 'name', 'name_key'], Array.from({ length: 60 }, (_, i) => [i + 1, `Customer ${i + 1}`, `customer ${i + 1}`]));
  const lanes: { c: number; o: string; d: string; perKg: boolean; rate: number; fuel: number }[] = [];
  const rates: (string | number | null)[][] = [];
  const validFrom = addDays(today, -400);
  CARRIERS.forEach((_, c) => {
    for (let k = 0; k < 12; k++) {
      const o = CITIES[(c + k) % CITIES.length];
      const d = CITIES[(c * 5 + k * 7 + 3) % CITIES.length];
      if (o === d || lanes.some((l) => l.c === c && l.o === o && l.d === d)) continue;
      const perKg = (c + k) % 3 === 0;
      const rate = perKg ? Math.round((0.1 + r() * 0.3) * 1000) / 1000 : Math.round(600 + r() * 2400);
      const fuel = 12 + Math.floor(r() * 10);
      lanes.push({ c, o, d, perKg, rate, fuel });
      rates.push([`${c}|${o}|${d}`, c + 1, o, d, o.toLowerCase(), d.toLowerCase(), perKg ? 'per_kg' : 'flat', rate, perKg ? 150 : null, fuel, null, validFrom, null, 'USD']);
    }
    for (const [code, max] of [['DET', 150], ['LFT', 75]] as const) {
      rates.push([`${c}|*|*|${code}`, c + 1, '*', '*', '*', '*', 'accessorial', max, null, null, code, validFrom, null, 'USD']);
    }
  });
  await insertRows(db, 'rates', ['rate_key', 'carrier_id', 'origin', 'destination', 'origin_key', 'destination_key', 'rate_basis', 'rate', 'min_charge', 'fuel_pct', 'charge_code', 'valid_from', 'valid_to', 'currency'], rates);

  const start = addDays(today, -365);
  const invoices = new Map<string, number>();
  let ships: (string | number | null)[][] = [];
  let lines: (string | number | null)[][] = [];
  let invRows: (string | number | null)[][] = [];
  let lineCount = 0;
  const flush = async () => {
    await insertRows(db, 'invoices', ['id', 'carrier_id', 'invoice_number', 'invoice_date', 'currency'], invRows);
    await insertRows(db, 'shipments', ['shipment_id', 'order_date', 'kpi_order_date', 'customer_id', 'carrier_id', 'origin', 'destination', 'origin_key', 'destination_key', 'ship_date', 'status', 'weight_kg', 'currency'], ships);
    await insertRows(db, 'invoice_lines', ['invoice_id', 'line_key', 'carrier_id', 'invoice_date', 'shipment_ref', 'charge_type', 'charge_code', 'billed_weight_kg', 'amount', 'currency'], lines);
    ships = [];
    lines = [];
    invRows = [];
  };
  const line = (inv: number, c: number, date: string, sid: string | null, type: string, code: string | null, bw: number | null, amount: number) => {
    lines.push([inv, `${(++lineCount).toString(16).padStart(40, '0')}:1`, c + 1, date, sid, type, code, bw, amount, 'USD']);
  };
  for (let i = 0; i < n; i++) {
    const l = lanes[Math.floor(r() * lanes.length)];
    const shipDate = addDays(start, Math.floor((i * 365) / n));
    const weight = Math.round((200 + r() * 15000) * 10) / 10;
    const linehaul = l.perKg ? Math.max(Math.round(l.rate * weight * 100) / 100, 150) : l.rate;
    const fuel = Math.round(linehaul * l.fuel) / 100;
    const sid = `SHP-${String(i + 1).padStart(7, '0')}`;
    const cancelled = r() > 0.995;
    ships.push([sid, addDays(shipDate, -2), addDays(shipDate, -2), (i % 60) + 1, l.c + 1, l.o, l.d, l.o.toLowerCase(), l.d.toLowerCase(), shipDate, cancelled ? 'cancelled' : 'delivered', weight, 'USD']);
    const invNo = `INV-${l.c}${String(Math.floor(i / 80)).padStart(6, '0')}`;
    let blockDate = addDays(addDays(start, Math.floor((Math.floor(i / 80) * 80 * 365) / n)), 7);
    if (blockDate > today) blockDate = today;
    let inv = invoices.get(`${invNo}|${blockDate}`);
    if (inv === undefined) {
      inv = invoices.size + 1;
      invoices.set(`${invNo}|${blockDate}`, inv);
      invRows.push([inv, l.c + 1, invNo, blockDate, 'USD']);
    }
    const err = r();
    const billedLh = err < 0.02 ? Math.round(linehaul * 112) / 100 : linehaul;
    const billedFuel = err > 0.98 ? Math.round(fuel * 150) / 100 : fuel;
    const bw = err > 0.97 && err <= 0.98 ? Math.round(weight * 1.2) : weight;
    const ref = err > 0.965 && err <= 0.97 ? 'SHP-UNKNOWN' : sid;
    line(inv, l.c, blockDate, ref, 'linehaul', null, bw, billedLh);
    line(inv, l.c, blockDate, sid, 'fuel', null, null, billedFuel);
    if (err > 0.5 && err < 0.51) line(inv, l.c, blockDate, sid, 'accessorial', err < 0.505 ? 'DET' : 'RES', null, 120);
    if (lines.length >= 20_000) await flush();
  }
  await flush();
  return lineCount;
}

async function main() {
  const n = Number(arg('shipments') ?? 100_000);
  const dir = arg('url') ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-audit-bench-'));
  const url = arg('url') ?? `sqlite:${path.join(dir!, 'bench.sqlite')}`;
  const db = await openDatabase({ url, projectRoot: projectRoot() });
  try {
    await migrate(db.sequelize);
    const today = '2026-11-24';
    let t = performance.now();
    // --reuse with --url: audit what the database already holds.
    const [{ c }] = await db.sql.query<{ c: number | string }>('SELECT COUNT(*) AS c FROM invoice_lines');
    const lines = process.argv.includes('--reuse') && Number(c) > 0 ? Number(c) : await generate(db, n, today);
    process.stderr.write(`${lines} invoice lines ready in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    if (db.dialect === 'postgres') await db.sequelize.query('ANALYZE');
    // --profile: the time of every statement (first line of its SQL).
    const profile = process.argv.includes('--profile');
    const timedRunner = (inner: SqlRunner): SqlRunner => ({
      dialect: inner.dialect,
      async query(sql, params) {
        if (profile && inner.dialect === 'sqlite' && /^(\/\* audit \*\/ )?(CREATE TEMP TABLE \w+ AS|INSERT|SELECT|DELETE)/.test(sql)) {
          const plan = await inner.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql.replace(/^\/\* audit \*\/ /, '').replace(/^CREATE TEMP TABLE \w+ AS/, '')}`, params);
          process.stderr.write(plan.map((p) => `            | ${p.detail}\n`).join(''));
        }
        if (profile && inner.dialect === 'postgres' && process.argv.includes('--explain') && /CREATE TEMP TABLE \w+ ON COMMIT DROP AS|string_agg/.test(sql)) {
          // EXPLAIN ANALYZE runs the statement (and creates the table); the findings come back empty.
          const plan = await inner.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${sql.replace(/^\/\* audit \*\/ /, '')}`, params);
          process.stderr.write(plan.map((p) => `            | ${p['QUERY PLAN']}\n`).join(''));
          return [] as never;
        }
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const rows = await inner.query(sql, params);
        const cpu = process.cpuUsage(c0);
        if (profile) {
          const ms = `${(performance.now() - t0).toFixed(0).padStart(6)} ms ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(6)} cpu`;
          process.stderr.write(`  ${ms}  ${sql.replace(/\s+/g, ' ').slice(0, 100)}\n`);
        }
        return rows as never;
      },
      transaction: (fn) => inner.transaction((tx) => fn(timedRunner(tx))),
    });
    const engine = createAuditEngine({ sql: timedRunner(db.sql), clock: createClock('UTC', new Date(`${today}T12:00:00Z`)), tolerance: DEFAULT_TOLERANCE });
    const audit = (q: Parameters<typeof engine.run>[0]) => engine.run(q);
    for (const label of ['first run', 'second run']) {
      t = performance.now();
      const c0 = process.cpuUsage();
      const r = await audit({ period: { from: addDays(today, -400), to: today } });
      const s = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(c0);
      const byRule: Record<string, number> = {};
      for (const f of r.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
      process.stdout.write(`${db.dialect} ${label}: ${lines} lines in ${s.toFixed(2)} s = ${Math.round(lines / s)} lines/s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s); ` +
        `${r.invoices_checked} invoices, ${r.findings.length} findings ${JSON.stringify(byRule)}\n`);
    }
  } finally {
    await db.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
