import type { ImportKind } from '../../domain/import/types';
import type { RawConnection } from './rawConnection';
import type { LoadState } from './writers';

/**
 * PostgreSQL bulk load: an import much larger than the table it fills (a first load of a million
 * shipments) drops the table's secondary indexes and outgoing foreign keys before its first batch and
 * recreates them after its last one. Each index a row maintains costs the server about a microsecond
 * and each foreign-key check three; building an index once over the loaded table is several times
 * cheaper. Batches still commit one by one, as in any import.
 *
 * Crash safety: what is dropped is first written to `import_dropped_indexes` (migration 007), in the
 * transaction that drops it, and is recreated and removed from there in one transaction. An importer
 * killed in between leaves the data of its committed batches, consistent (the unique indexes the
 * upserts rely on are never dropped) but slower to query: the next bulk import recreates them at its
 * end, any other import at its start, and `migrate` (every start of the app) at once.
 *
 * One bulk load per schema at a time: the importer holds an advisory lock (keyed by schema) from the
 * drop to the rebuild; a repair takes the same lock and skips when it is held (the importer rebuilds).
 * While the indexes are away, lookups by them are slower; the shipments an order refresh reads by
 * order_id keep their index. SQLite builds an index no faster than it maintains one row by row
 * (measured on 1,000,000 shipments): it never drops any.
 */
export const LEDGER = 'import_dropped_indexes';

/**
 * Tables a bulk load of a kind may strip, the indexes the import's own statements look rows up by,
 * and the tables its batches may COPY straight into when they are empty (writers.ts, LoadState).
 */
const BULK_TABLES: Partial<Record<ImportKind, { tables: readonly string[]; keep: readonly string[]; copy: readonly string[] }>> = {
  shipments: { tables: ['shipments', 'orders'], keep: ['shipments_order_id_idx'], copy: ['shipments', 'orders'] },
  invoices: { tables: ['invoice_lines', 'invoices'], keep: [], copy: ['invoice_lines'] },
};

/** From how many rows (estimated from the first batch) an import may bulk-load. */
export const BULK_MIN_ROWS = 100_000;

/** SQLSTATE of a lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';

/** pg_try_advisory_lock / pg_advisory_unlock arguments: one lock per schema. */
const LOCK_ARGS = '774211003, hashtext(current_schema())';

interface Dropped {
  name: string;
  definition: string;
}

export type Run = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** A Run on one of the importer's connections. */
const runOn = (conn: RawConnection): Run => (sql, params) => conn.all(sql, params as never);

export interface BulkLoad extends LoadState {
  /** Recreates what was dropped (and what an earlier, killed import left dropped); releases the lock. */
  finish(): Promise<void>;
}

/** The tables a bulk load of `kind` strips, if it may be bulk-loaded at all. */
export function bulkTables(kind: ImportKind): readonly string[] | undefined {
  return BULK_TABLES[kind]?.tables;
}

/**
 * Starts a bulk load when it pays: PostgreSQL, a kind with big tables, at least BULK_MIN_ROWS rows
 * coming and no more rows already in the main table than are coming. Otherwise repairs what a killed
 * bulk import left dropped (so this import's rows find their indexes) and returns undefined. Runs
 * outside any transaction, before the first batch.
 */
export async function startBulkLoad(
  conn: RawConnection,
  kind: ImportKind,
  estimatedRows: number,
  minRows = BULK_MIN_ROWS,
  /** Opens another connection to the same schema, to rebuild indexes two at a time at the end. */
  openHelper?: () => Promise<RawConnection>,
): Promise<BulkLoad | undefined> {
  const spec = BULK_TABLES[kind];
  if (conn.dialect !== 'postgres' || !spec) return undefined;
  const run = runOn(conn);
  const [lock] = await run(`SELECT pg_try_advisory_lock(${LOCK_ARGS}) AS ok`);
  // Another bulk load (or a repair) of this schema is under way: it rebuilds what it dropped.
  if (!lock.ok) return undefined;
  const unlock = () => run(`SELECT pg_advisory_unlock(${LOCK_ARGS})`).then(() => undefined);
  const copyInto = new Set<string>();
  try {
    const [main] = spec.tables;
    const [{ n }] = await run(`SELECT count(*) AS n FROM (SELECT 1 FROM ${main} LIMIT $1) x`, [estimatedRows + 1]);
    if (estimatedRows < minRows || Number(n) > estimatedRows) {
      await conn.transaction(() => rebuild(run));
      await unlock();
      return undefined;
    }
    for (const t of spec.copy) if ((await run(`SELECT 1 FROM ${t} LIMIT 1`)).length === 0) copyInto.add(t);
    try {
      await conn.transaction(() => drop(run, spec.tables, spec.keep));
    } catch (e) {
      // Readers kept the tables busy past lock_timeout: an ordinary import then, nothing was dropped.
      if ((e as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw e;
      await unlock();
      return undefined;
    }
  } catch (e) {
    await unlock().catch(() => undefined);
    throw e;
  }
  return {
    // Rows go straight into a table that was empty (no staging, no upsert) while no key repeats.
    copyInto,
    async finish() {
      try {
        if (openHelper) await recreateIndexesInPairs(conn, openHelper);
        await conn.transaction(() => rebuild(run));
      } finally {
        await unlock();
      }
    },
  };
}

/** Records and drops the secondary indexes (not unique, not kept) and the foreign keys of `tables`. */
async function drop(run: Run, tables: readonly string[], keep: readonly string[]): Promise<void> {
  // A DROP waits for the tables' readers to finish: at most this long, then the import goes on without.
  await run("SET LOCAL lock_timeout = '10s'");
  const indexes = (await run(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace s ON s.oid = t.relnamespace
     WHERE s.nspname = current_schema() AND t.relname = ANY($1) AND NOT x.indisunique AND NOT x.indisprimary
       AND NOT (i.relname = ANY($2)) AND x.indisvalid
     ORDER BY i.relname`,
    [tables, keep],
  )) as unknown as Dropped[];
  const constraints = (await run(
    `SELECT c.conname AS name, format('ALTER TABLE %I.%I ADD CONSTRAINT %I ', s.nspname, t.relname, c.conname) || pg_get_constraintdef(c.oid) AS definition,
       format('ALTER TABLE %I.%I DROP CONSTRAINT %I', s.nspname, t.relname, c.conname) AS drop_sql
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
     WHERE s.nspname = current_schema() AND c.contype = 'f' AND t.relname = ANY($1)
     ORDER BY c.conname`,
    [tables],
  )) as unknown as Array<Dropped & { drop_sql: string }>;
  for (const d of [...indexes, ...constraints]) {
    await run(`INSERT INTO ${LEDGER} (name, definition) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [d.name, d.definition]);
  }
  for (const i of indexes) await run(`DROP INDEX ${quoteIdent(i.name)}`);
  for (const c of constraints) await run(c.drop_sql);
}

const ledgerEntries = async (run: Run): Promise<Dropped[]> =>
  (await run(`SELECT name, definition FROM ${LEDGER} ORDER BY name`)) as unknown as Dropped[];
const isConstraint = (d: Dropped) => d.definition.startsWith('ALTER TABLE');

/** Runs the definitions of those of `items` that do not exist (again), in order, in the caller's transaction. */
async function recreate(run: Run, items: Dropped[]): Promise<void> {
  if (items.length === 0) return;
  // Sorted in memory: the server's default (64 MB) spills a million keys to disk.
  await run("SET LOCAL maintenance_work_mem = '256MB'");
  const existing = new Set(
    (await run(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND c.relname = ANY($1)
       UNION SELECT c.conname FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace WHERE s.nspname = current_schema() AND c.conname = ANY($1)`,
      [items.map((d) => d.name)],
    )).map((r) => String(r.name)),
  );
  for (const d of items) if (!existing.has(d.name)) await run(d.definition);
}

/** Recreates everything the ledger holds (skipping what exists again) and empties it, in the caller's transaction. */
async function rebuild(run: Run): Promise<number> {
  const dropped = await ledgerEntries(run);
  if (dropped.length === 0) return 0;
  // Indexes first (each one scan and sort), then the foreign keys (each one join to validate).
  await recreate(run, [...dropped.filter((d) => !isConstraint(d)), ...dropped.filter(isConstraint)]);
  await run(`DELETE FROM ${LEDGER}`);
  return dropped.length;
}

/**
 * The dropped indexes on two connections at once, each taking the next one when it is free (each
 * build is one scan and one sort, mostly on one core; a million shipments' ten: 6.8 s one after
 * another). Each connection commits its own; the ledger keeps listing them all until rebuild (after
 * this) has added the foreign keys and emptied it, so an import killed in between leaves nothing the
 * next start does not recreate.
 */
async function recreateIndexesInPairs(conn: RawConnection, openHelper: () => Promise<RawConnection>): Promise<void> {
  const queue = (await ledgerEntries(runOn(conn))).filter((d) => !isConstraint(d));
  if (queue.length < 2) return;
  const helper = await openHelper();
  try {
    const work = (c: RawConnection) =>
      c.transaction(async () => {
        for (let d = queue.shift(); d; d = queue.shift()) await recreate(runOn(c), [d]);
      });
    // Both settle before the helper is closed; the first failure is the import's error.
    const failed = (await Promise.allSettled([work(conn), work(helper)])).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    await helper.close();
  }
}

/**
 * Recreates what a killed bulk import left dropped, unless a bulk import of this schema is running
 * (it rebuilds at its end). For `migrate`: `run` executes in one transaction. Returns how many
 * indexes and constraints were recreated.
 */
export async function repairBulkLoad(run: Run): Promise<number> {
  const [pending] = await run(`SELECT count(*) AS n FROM ${LEDGER}`);
  if (Number(pending.n) === 0) return 0;
  const [lock] = await run(`SELECT pg_try_advisory_xact_lock(${LOCK_ARGS}) AS ok`);
  return lock.ok ? rebuild(run) : 0;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
