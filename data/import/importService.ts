import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from '../db';
import type { Logger } from '../../domain/logger';
import { UserError } from '../../domain/errors';
import { resolveColumns } from '../../domain/import/columns';
import { createRowNormalizer } from '../../domain/import/rows';
import { formatUtc } from '../../domain/import/values';
import { IMPORT_KINDS, type ImportKind, type ImportOptions, type ImportService, type ImportSummary, type RejectedRow } from '../../domain/import/types';
import { readCsvChunks } from './csvReader';
import { openRawConnection } from './rawConnection';
import { startBulkLoad, type BulkLoad } from './bulkLoad';
import { TABLES_WRITTEN, writerFor, type BatchResult, type PreparedBatch } from './writers';

export const DEFAULT_BATCH_SIZE = 5_000;
/** Rejections kept in the summary (all are counted and passed to onReject). */
const KEPT_REJECTIONS = 100;
const PROGRESS_EVERY = 1_000;
/** A batch kept open for the rest of a group (writers.ts, continues) grows to at most this many batch sizes. */
const MAX_BATCH_GROWTH = 2;
/** Rows written from which an import refreshes PostgreSQL's statistics and visibility map itself. */
const ANALYZE_AFTER = 10_000;
/**
 * While a batch is being written, parsing gives the event loop a turn this often: the writer's next
 * statement is issued from a driver callback, which would otherwise wait for the parser's next read.
 */
const YIELD_EVERY = 50;

/**
 * `waybill import KIND FILE` (data.md): streams the file, validates and normalises each row in the
 * domain (domain/import), and writes batches of `batchSize` rows, one transaction each, with
 * set-based idempotent upserts. While one batch is written the next one is parsed.
 */
export interface ImportServiceDeps {
  logger: Logger;
  today: () => string;
  /** From how many rows coming a PostgreSQL import may bulk-load (bulkLoad.ts; tests lower it). */
  bulkLoadMinRows?: number;
}

export function createImportService(db: Database, deps: ImportServiceDeps): ImportService {
  return {
    async importFile(kind: ImportKind, file: string, opts: ImportOptions = {}): Promise<ImportSummary> {
      if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new UserError(`cannot import "${kind}": choose one of ${IMPORT_KINDS.join(', ')}`, 2);
      const started = performance.now();
      let bytesTotal: number;
      try {
        const st = fs.statSync(file);
        if (!st.isFile()) throw new UserError(`${file} is not a file`);
        bytesTotal = st.size;
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`cannot read ${file}: no such file`);
      }
      const batchSize = opts.batchSize && opts.batchSize > 0 ? Math.floor(opts.batchSize) : DEFAULT_BATCH_SIZE;
      const summary: ImportSummary = { kind, file, rowsRead: 0, inserted: 0, updated: 0, rejected: 0, rejections: [], seconds: 0 };
      let kept: RejectedRow[] = [];
      const reject = (r: RejectedRow) => {
        summary.rejected++;
        kept.push(r);
        if (kept.length >= 4 * KEPT_REJECTIONS) kept = kept.sort((a, b) => a.line - b.line).slice(0, KEPT_REJECTIONS);
        opts.onReject?.(r);
      };

      const writer = writerFor(kind);
      const conn = await openRawConnection(db);
      let inflight: Promise<void> | undefined;
      let writing = false;
      const apply = (r: BatchResult) => {
        summary.inserted += r.inserted;
        summary.updated += r.updated;
        for (const rej of r.rejections) reject(rej);
      };
      const runBatch = async (batch: PreparedBatch) =>
        apply(
          await conn.transaction(async () => {
            // The commit does not wait for the WAL to reach the disk: an OS or server crash may lose the
            // last batches committed (whole, never part of one; rerunning the import restores them), a
            // killed importer loses nothing it committed. ~1 ms a batch.
            if (conn.dialect === 'postgres') await conn.run('SET LOCAL synchronous_commit = off');
            return batch(conn, formatUtc(Date.now()), bulk);
          }),
        );
      let bytesRead = 0;
      let bulk: BulkLoad | undefined;
      let planned = false;
      /** Hands the open batch to the database once the previous one is stored (one write at a time, in file order). */
      const flush = async () => {
        if (writer.pending === 0) return;
        const batch = writer.take();
        if (inflight) await inflight;
        if (!planned) {
          // Before the first batch: the rows to come, estimated from the bytes the first one took.
          planned = true;
          bulk = await startBulkLoad(conn, kind, Math.round((summary.rowsRead * bytesTotal) / Math.max(1, bytesRead)), deps.bulkLoadMinRows, () => openRawConnection(db));
        }
        writing = true;
        inflight = runBatch(batch).finally(() => {
          writing = false;
        });
        // Its failure is reported where it is awaited (next flush or the end), not as an unhandled rejection.
        inflight.catch(() => undefined);
      };

      try {
        let normalize: ReturnType<typeof createRowNormalizer> | undefined;
        let sinceYield = 0;
        for await (const records of readCsvChunks(file)) {
          for (const rec of records) {
            bytesRead = rec.bytes;
            if (!normalize) {
              const cols = resolveColumns(kind, rec.cells, opts.columnMap);
              normalize = createRowNormalizer(kind, cols, { dateFormat: opts.dateFormat, today: deps.today() });
              continue;
            }
            const row = normalize(rec.cells);
            if (row === null) continue;
            summary.rowsRead++;
            if (typeof row === 'string') reject({ line: rec.line, reason: row });
            else {
              // A full batch is cut before this row unless the row continues the batch's last group (the
              // lines of one invoice): an interrupted import never leaves part of one. Capped, for memory.
              const keepGroup = writer.pending < MAX_BATCH_GROWTH * batchSize && writer.continues?.(row as never) === true;
              if (writer.pending >= batchSize && !keepGroup) await flush();
              (writer.add as (r: unknown, line: number) => void)(row, rec.line);
            }
            if (summary.rowsRead % PROGRESS_EVERY === 0) opts.onProgress?.({ rowsRead: summary.rowsRead, bytesRead, bytesTotal });
            if (writing && ++sinceYield >= YIELD_EVERY) {
              sinceYield = 0;
              await nextTurn();
            }
          }
        }
        if (!normalize) throw new UserError(`${file} is empty: a ${kind} file starts with a header row (see data.md)`);
        await flush();
        if (inflight) await inflight;
        const finishing = bulk;
        bulk = undefined;
        await finishing?.finish();
        // PostgreSQL plans by table statistics, and reads an index alone (the KPIs' covering indexes)
        // only on pages its visibility map marks all-visible; autovacuum refreshes both only some time
        // after a large load (never where it is off). Until then the audit and the KPIs would be
        // planned for the tables as they were (on a table filled from empty, nested loops over a
        // million rows) and read the table for every index entry. VACUUM (ANALYZE) does both now (it
        // reads the pages changed since the last one). SQLite's plans use neither.
        if (conn.dialect === 'postgres' && summary.inserted + summary.updated >= ANALYZE_AFTER) {
          await conn.run(`VACUUM (ANALYZE) ${TABLES_WRITTEN[kind].join(', ')}`);
        }
        opts.onProgress?.({ rowsRead: summary.rowsRead, bytesRead: bytesTotal, bytesTotal });
      } finally {
        await inflight?.catch(() => undefined);
        // The import failed during a bulk load: its committed batches stay, their indexes come back.
        await bulk?.finish().catch((e: unknown) => deps.logger.warn({ err: e }, 'indexes dropped for the bulk import not recreated yet (the next start recreates them)'));
        await conn.close();
      }
      summary.rejections = kept.sort((a, b) => a.line - b.line).slice(0, KEPT_REJECTIONS);
      summary.seconds = (performance.now() - started) / 1000;
      deps.logger.info(
        { kind, file, rowsRead: summary.rowsRead, inserted: summary.inserted, updated: summary.updated, rejected: summary.rejected, seconds: summary.seconds },
        'import finished',
      );
      return summary;
    },
  };
}
