import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { generateCsv } from './generateCsv';
import { loadConfig } from '../../bot/config';
import { createApp, type App } from '../../bot/container';
import { createLogger } from '../../bot/logger';
import { addDays } from '../../domain/dates';
import { openDatabase } from '../../data/db';
import { createKpiEngine } from '../../domain/kpi/engine';
import { projectRoot } from '../../bot/projectRoot';
import { importInChild } from './runImportChild';

/**
 * `npm run bench:data`: import, KPI and audit figures on generated data (default 1,000,000 shipments
 * and 2,000,000 invoice lines) on SQLite and, when reachable, PostgreSQL. Prints a table and writes
 * bench-results/data-bench.json. A benchmark, not a test: it reports figures and asserts nothing; the
 * `floor` column says how each figure compares with the project's floor for it (USAGE).
 */
const USAGE = `npm run bench:data -- [options]

  --shipments N   shipments to generate (default 1000000; invoice lines: 2 per shipment)
  --pg URL        PostgreSQL to measure too (default TEST_DATABASE_URL, else
                  postgres://postgres@127.0.0.1:5432/test; "off" to skip); a schema of its own, dropped after
  --keep          keep the generated CSV files and the SQLite database
  --help          this text

Floors (issue "Foundation", 1,000,000 shipments, 2,000,000 invoice lines): import >= 100,000 rows/s on
SQLite and >= 50,000 on PostgreSQL; peak RSS of an import <= 300 MB; KPIs of one month <= 200 ms; audit
>= 250,000 lines/s. Writes bench-results/data-bench.json.`;

interface Row { database: string; step: string; rows: number | ''; seconds: number; perSecond: number | ''; peakRssMb: number | ''; floor: string; note: string }

/** How a figure compares with its floor: "met" or "below", with the floor. */
function floorOf(database: string, step: string, perSecond: number | '', seconds: number, peakRssMb: number | ''): string {
  const check = (ok: boolean, floor: string) => `${ok ? 'met' : 'below'} (${floor})`;
  if (step === 'import shipments' || step === 'import invoices') {
    const min = database === 'sqlite' ? 100_000 : 50_000;
    const rss = typeof peakRssMb === 'number' && peakRssMb > 300 ? ', RSS above 300 MB' : '';
    return check(Number(perSecond) >= min && !rss, `>= ${min.toLocaleString('en-US')}/s, <= 300 MB`) + rss;
  }
  if (step.startsWith('KPIs of one month (median')) return check(seconds <= 0.2, '<= 200 ms');
  if (step === 'audit all invoice lines') return check(Number(perSecond) >= 250_000, '>= 250,000 lines/s');
  return '';
}

const TODAY = '2026-11-24';
const NOW = `${TODAY}T12:00:00Z`;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}


async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

/** Rows are printed as they come, so a long run shows its progress. */
function record(rows: Row[], r: Omit<Row, 'floor'>): void {
  const row: Row = { ...r, floor: floorOf(r.database, r.step, r.perSecond, r.seconds, r.peakRssMb) };
  rows.push(row);
  process.stderr.write(`  ${row.database} ${row.step}: ${row.seconds.toFixed(3)} s${row.perSecond ? `, ${row.perSecond}/s` : ''}${row.peakRssMb ? `, peak RSS ${row.peakRssMb} MB` : ''} ${row.note}${row.floor ? ` [${row.floor}]` : ''}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function benchDatabase(name: string, url: string, files: Awaited<ReturnType<typeof generateCsv>>, rows: Row[]) {
  for (const kind of ['rates', 'shipments', 'invoices'] as const) {
    const r = importInChild(url, kind, files[kind], NOW);
    record(rows, {
      database: name, step: `import ${kind}`, rows: r.rowsRead, seconds: r.seconds, perSecond: Math.round(r.rowsRead / r.seconds),
      peakRssMb: Math.round(r.maxRssMb), note: r.rejected ? `${r.rejected} rejected` : '',
    });
  }
  const app: App = await createApp({ ...loadConfig({ ...process.env, WAYBILL_NOW: NOW }), databaseUrl: url }, { logger: createLogger('warn') });
  // The app answers a repeated KPI question from its result cache: the figures are computed here by an
  // engine without one (on the app's read connection, as the app computes them).
  const db = await openDatabase({ url, projectRoot: projectRoot() });
  try {
    // The most recent whole month of the generated year.
    const month = { from: '2026-10-01', to: '2026-10-31' };
    const uncached = createKpiEngine({ sql: db.readSql, clock: app.clock });
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) runs.push((await timed(() => uncached.compute({ period: month, today: TODAY }))).ms);
    const fromCache = await timed(async () => {
      await app.kpi.compute({ period: month, today: TODAY });
      return app.kpi.compute({ period: month, today: TODAY });
    });
    record(rows, {
      database: name, step: 'KPIs of one month (median of 7)', rows: '', seconds: median(runs) / 1000, perSecond: '', peakRssMb: '',
      note: `computed each time; first run ${Math.round(runs[0])} ms; the app's cache: twice in ${fromCache.ms.toFixed(1)} ms`,
    });
    const cmp = await timed(() => uncached.compare({ period: month, today: TODAY }));
    record(rows, { database: name, step: 'KPIs of one month + previous', rows: '', seconds: cmp.ms / 1000, perSecond: '', peakRssMb: '', note: '' });
    const audit = await timed(() => app.audit.run({ period: { from: addDays(TODAY, -400), to: TODAY } }));
    record(rows, {
      database: name, step: 'audit all invoice lines', rows: files.invoiceRows, seconds: audit.ms / 1000,
      perSecond: Math.round(files.invoiceRows / (audit.ms / 1000)), peakRssMb: '', note: `${audit.value.findings.length} findings, ${audit.value.invoices_checked} invoices`,
    });
    const again = await timed(() => app.audit.run({ period: { from: addDays(TODAY, -400), to: TODAY } }));
    record(rows, { database: name, step: 'audit again (findings exist)', rows: files.invoiceRows, seconds: again.ms / 1000, perSecond: Math.round(files.invoiceRows / (again.ms / 1000)), peakRssMb: '', note: `${again.value.findings.length} findings` });
  } finally {
    await db.close();
    await app.close();
  }
}

function pgReachable(url: string): boolean {
  try {
    execFileSync('pg_isready', ['-d', url.split('?')[0], '-q'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const shipments = Number(arg('shipments') ?? 1_000_000);
  if (!Number.isInteger(shipments) || shipments < 1) throw new Error(`--shipments must be a positive whole number (got ${arg('shipments')})`);
  const pgBase = arg('pg') ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-bench-'));
  const rows: Row[] = [];
  try {
    process.stderr.write(`generating ${shipments} shipments and ${shipments * 2} invoice lines in ${dir} ...\n`);
    const gen = await timed(() => generateCsv(dir, shipments, TODAY));
    const files = gen.value;
    process.stderr.write(`generated in ${(gen.ms / 1000).toFixed(1)} s\n`);

    process.stderr.write('SQLite ...\n');
    await benchDatabase('sqlite', `sqlite:${path.join(dir, 'bench.sqlite')}`, files, rows);

    if (pgBase !== 'off' && pgReachable(pgBase)) {
      const schema = `wbbench_${randomBytes(3).toString('hex')}`;
      const u = new URL(pgBase);
      u.searchParams.set('schema', schema);
      process.stderr.write(`PostgreSQL (schema ${schema}) ...\n`);
      try {
        await benchDatabase('postgres', u.toString(), files, rows);
      } finally {
        execFileSync('psql', [pgBase.split('?')[0], '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], { stdio: 'ignore' });
      }
    } else {
      process.stderr.write(`PostgreSQL skipped (${pgBase === 'off' ? '--pg off' : 'not reachable'})\n`);
    }
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
  }

  const table = rows.map((r) => ({ ...r, seconds: Number(r.seconds.toFixed(3)) }));
  console.table(table);
  const outDir = path.resolve(__dirname, '..', '..', '..', 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'data-bench.json');
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), shipments, node: process.version, cpus: os.cpus().length, rows: table }, null, 2));
  process.stderr.write(`wrote ${out}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
