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

/**
 * `npm run bench:data`: import, KPI and audit figures on generated data (default 1,000,000 shipments
 * and 2,000,000 invoice lines) on SQLite and, when reachable, PostgreSQL. Prints a table and writes
 * bench-results/data-bench.json. A benchmark, not a test: it reports figures and asserts nothing.
 *
 * Options: --shipments N (default 1000000), --pg URL (default TEST_DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/test; "off" to skip), --keep (keep the generated files).
 */
interface Row { database: string; step: string; rows: number | ''; seconds: number; perSecond: number | ''; peakRssMb: number | ''; note: string }

const TODAY = '2026-11-24';
const NOW = `${TODAY}T12:00:00Z`;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function importInChild(url: string, kind: string, file: string) {
  const child = path.join(__dirname, 'importChild.js');
  const outText = execFileSync(process.execPath, [child, kind, file], {
    env: { ...process.env, DATABASE_URL: url, WAYBILL_NOW: NOW, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(outText.trim().split('\n').pop()!) as { rowsRead: number; rejected: number; seconds: number; maxRssMb: number };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

/** Rows are printed as they come, so a long run shows its progress. */
function record(rows: Row[], row: Row): void {
  rows.push(row);
  process.stderr.write(`  ${row.database} ${row.step}: ${row.seconds.toFixed(3)} s${row.perSecond ? `, ${row.perSecond}/s` : ''}${row.peakRssMb ? `, peak RSS ${row.peakRssMb} MB` : ''} ${row.note}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function benchDatabase(name: string, url: string, files: Awaited<ReturnType<typeof generateCsv>>, rows: Row[]) {
  for (const kind of ['rates', 'shipments', 'invoices'] as const) {
    const r = importInChild(url, kind, files[kind]);
    record(rows, {
      database: name, step: `import ${kind}`, rows: r.rowsRead, seconds: r.seconds, perSecond: Math.round(r.rowsRead / r.seconds),
      peakRssMb: Math.round(r.maxRssMb), note: r.rejected ? `${r.rejected} rejected` : '',
    });
  }
  const app: App = await createApp({ ...loadConfig({ ...process.env, WAYBILL_NOW: NOW }), databaseUrl: url }, { logger: createLogger('warn') });
  try {
    // The most recent whole month of the generated year.
    const month = { from: '2026-10-01', to: '2026-10-31' };
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) runs.push((await timed(() => app.kpi.compute({ period: month, today: TODAY }))).ms);
    record(rows, { database: name, step: 'KPIs of one month (median of 7)', rows: '', seconds: median(runs) / 1000, perSecond: '', peakRssMb: '', note: `first run ${Math.round(runs[0])} ms` });
    const cmp = await timed(() => app.kpi.compare({ period: month, today: TODAY }));
    record(rows, { database: name, step: 'KPIs of one month + previous', rows: '', seconds: cmp.ms / 1000, perSecond: '', peakRssMb: '', note: '' });
    const audit = await timed(() => app.audit.run({ period: { from: addDays(TODAY, -400), to: TODAY } }));
    record(rows, {
      database: name, step: 'audit all invoice lines', rows: files.invoiceRows, seconds: audit.ms / 1000,
      perSecond: Math.round(files.invoiceRows / (audit.ms / 1000)), peakRssMb: '', note: `${audit.value.findings.length} findings, ${audit.value.invoices_checked} invoices`,
    });
    const again = await timed(() => app.audit.run({ period: { from: addDays(TODAY, -400), to: TODAY } }));
    record(rows, { database: name, step: 'audit again (findings exist)', rows: files.invoiceRows, seconds: again.ms / 1000, perSecond: Math.round(files.invoiceRows / (again.ms / 1000)), peakRssMb: '', note: `${again.value.findings.length} findings` });
  } finally {
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
  const shipments = Number(arg('shipments') ?? 1_000_000);
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
