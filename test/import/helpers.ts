import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../data/db';
import { createImportService } from '../../data/import/importService';
import { silentLogger } from '../../domain/logger';
import type { ImportKind, ImportOptions, ImportSummary, RejectedRow } from '../../domain/import/types';

export const TODAY = '2026-11-24';
export const SCMS_FILE = '/work/shared/data/SCMS_Delivery_History_Dataset.csv';

/** A temp directory for the CSV files of one suite. */
export function tempDir(): { dir: string; write(name: string, content: string | Buffer): string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waybill-import-'));
  return {
    dir,
    write(name, content) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Lines joined with \n (and a final newline). */
export const csv = (...lines: string[]) => lines.join('\n') + '\n';

export async function importFile(db: Database, kind: ImportKind, file: string, opts: ImportOptions = {}): Promise<ImportSummary & { reported: RejectedRow[] }> {
  const reported: RejectedRow[] = [];
  const importer = createImportService(db, { logger: silentLogger, today: () => TODAY });
  const summary = await importer.importFile(kind, file, { ...opts, onReject: (r) => reported.push(r) });
  return { ...summary, reported };
}

export async function query<T = Record<string, unknown>>(db: Database, sql: string, params: (string | number | null)[] = []): Promise<T[]> {
  return db.sql.query<T>(sql, params);
}

export async function count(db: Database, table: string): Promise<number> {
  const [r] = await query<{ n: number | string }>(db, `SELECT count(*) AS n FROM ${table}`);
  return Number(r.n);
}

/** Empties the import tables (dependants first) so each test starts from nothing. */
export async function clearImported(db: Database): Promise<void> {
  for (const t of ['audit_findings', 'invoice_lines', 'invoices', 'rates', 'tracking_events', 'shipments', 'order_lines', 'orders', 'customers', 'carriers']) {
    await db.sequelize.query(`DELETE FROM ${t}`);
  }
}

/** DATEONLY / DECIMAL values read back the same on both databases. */
export const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
export const day = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
