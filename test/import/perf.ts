import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { generateCsv } from '../bench/generateCsv';
import { importInChild } from '../bench/runImportChild';

/**
 * Import throughput, by hand (not a jest suite):
 *   npx tsc -p tsconfig.json && node dist/test/import/perf.js --rows 200000 [--pg postgres://postgres@127.0.0.1:5432/test]
 * Generates rates / shipments / invoices (2 lines per shipment) with the benchmark's generator, then
 * imports each file in a child process (dist/test/bench/importChild.js) on a fresh SQLite file and,
 * with --pg, in a fresh PostgreSQL schema; prints rows/s and the child's peak RSS, and re-imports
 * shipments to time the update path.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}


async function main(): Promise<void> {
  const rows = Number(arg('rows') ?? 200_000);
  const pg = arg('pg');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-import-perf-'));
  try {
    const files = await generateCsv(dir, rows, '2026-11-24');
    const targets: [string, string][] = [['sqlite', `sqlite:${path.join(dir, 'perf.sqlite')}`]];
    let schema: string | undefined;
    if (pg) {
      schema = `wbperf_${randomBytes(3).toString('hex')}`;
      const u = new URL(pg);
      u.searchParams.set('schema', schema);
      targets.push(['postgres', u.toString()]);
    }
    try {
      for (const [name, url] of targets) {
        for (const [kind, file] of [['rates', files.rates], ['shipments', files.shipments], ['invoices', files.invoices], ['shipments', files.shipments], ['invoices', files.invoices]] as const) {
          const r = importInChild(url, kind, file);
          process.stdout.write(
            `${name.padEnd(8)} ${kind.padEnd(9)} ${String(r.rowsRead).padStart(8)} rows  ins ${String(r.inserted).padStart(8)}  upd ${String(r.updated).padStart(8)}  ` +
              `rej ${r.rejected}  ${r.seconds.toFixed(2).padStart(6)} s  ${String(Math.round(r.rowsRead / r.seconds)).padStart(7)} rows/s  peak RSS ${Math.round(r.maxRssMb)} MB\n`,
          );
        }
      }
    } finally {
      if (schema) execFileSync('psql', [pg!.split('?')[0], '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], { stdio: 'ignore' });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
