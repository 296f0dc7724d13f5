import type { PgType, SqlColumn } from '../columns';
import { copyText, StagingTable } from './staging';
import type { RawConnection, SqlValue } from './rawConnection';

/**
 * Set-based inserts and upserts for the importer and the demo seeder, one shape per dialect, both
 * ending (for an upsert) in `ON CONFLICT (...) DO ...`, which SQLite (>= 3.24) and PostgreSQL share:
 *  - SQLite: multi-row `INSERT ... VALUES (...),(...)` in chunks, with bound parameters (prepared
 *    once per chunk size);
 *  - PostgreSQL: the rows are sent with COPY into a temporary staging table (staging.ts), then moved
 *    by one `INSERT ... SELECT`: COPY's text format costs the server a quarter less than binding
 *    one array per column, and the client only joins strings.
 * Which rows a statement inserted (rather than updated) is told apart without reading them back one
 * by one: PostgreSQL's `xmax = 0` on the new row versions; in SQLite the batch holds the only write
 * lock and new rows get row ids above the largest one before the statement.
 */

/** Rows per SQLite INSERT statement (SQLite allows 32,766 bound parameters per statement). */
const SQLITE_MAX_PARAMS = 16_000;
const SQLITE_MAX_ROWS = 500;
/** SQLSTATE of a duplicate key. */
const UNIQUE_VIOLATION = '23505';
/** Keys per SQLite `IN (...)` list. */
const SQLITE_IN_CHUNK = 4_000;

export interface BulkUpsertOptions {
  /** Timestamp columns filled with the batch's time (`created_at`, `updated_at`); none by default. */
  stamps?: readonly string[];
  /** `ON CONFLICT (...) DO UPDATE SET ...` or `... DO NOTHING`; none (a plain INSERT) by default. */
  conflict?: string;
  /**
   * SQLite's ever-growing row id, for countNew and newRows: `id` (INTEGER PRIMARY KEY AUTOINCREMENT)
   * or `rowid` (a table keyed by text).
   */
  rowid?: 'id' | 'rowid';
}

/** The rows of an upsert that were inserted (not updated), by key. */
export interface NewRows {
  readonly count: number;
  has(key: string): boolean;
}

export const allNew = (count: number): NewRows => ({ count, has: () => true });

export class BulkUpsert {
  private readonly sqliteSql = new Map<string, string>();
  private readonly staging: StagingTable;

  private readonly opts: Required<Pick<BulkUpsertOptions, 'stamps' | 'conflict'>> & BulkUpsertOptions;

  constructor(
    private readonly table: string,
    private readonly columns: readonly SqlColumn[],
    opts: BulkUpsertOptions = {},
  ) {
    this.opts = { ...opts, stamps: opts.stamps ?? [], conflict: opts.conflict ?? '' };
    this.staging = new StagingTable(table, columns);
  }

  /**
   * write() for rows produced as they are taken (a generator), `chunk` rows at a time, so that they
   * never all sit in memory at once; returns how many were written.
   */
  async writeAll(conn: RawConnection, rows: Iterable<SqlValue[]>, now = '', chunk = 5_000): Promise<number> {
    let buffer: SqlValue[][] = [];
    let total = 0;
    for (const row of rows) {
      buffer.push(row);
      if (buffer.length === chunk) {
        await this.write(conn, buffer, now);
        total += buffer.length;
        buffer = [];
      }
    }
    await this.write(conn, buffer, now);
    return total + buffer.length;
  }

  /** Inserts or updates the rows (each an array in column order; keys must be distinct within the call). */
  async write(conn: RawConnection, rows: SqlValue[][], now: string): Promise<void> {
    if (rows.length === 0) return;
    if (conn.dialect === 'postgres') {
      await this.stage(conn, rows);
      await conn.run(this.pgInsert(''), this.pgParams(now));
      return;
    }
    await this.sqliteWrite(conn, rows, now, '');
  }

  /** Like write; returns how many rows were inserted rather than updated. */
  async countNew(conn: RawConnection, rows: SqlValue[][], now: string): Promise<number> {
    if (rows.length === 0) return 0;
    if (conn.dialect === 'postgres') {
      await this.stage(conn, rows);
      const [r] = await conn.all<{ n: string | number }>(
        `WITH w AS (${this.pgInsert('RETURNING (xmax = 0) AS ins')}) SELECT count(*) FILTER (WHERE ins) AS n FROM w`,
        this.pgParams(now),
      );
      return Number(r.n);
    }
    const before = await this.maxRowid(conn);
    await this.sqliteWrite(conn, rows, now, '');
    return Number((await conn.all<{ n: number }>(`SELECT count(*) AS n FROM ${this.table} WHERE ${this.rowid()} > ?`, [before]))[0].n);
  }

  /**
   * Like write; tells which rows were inserted rather than updated, by their `key` column. Usually
   * every row of a batch is new (a first import): then only their number is read back; the keys are
   * read only when some rows were updated.
   */
  async newRows(conn: RawConnection, rows: SqlValue[][], now: string, key: string): Promise<NewRows> {
    if (rows.length === 0) return allNew(0);
    const at = this.columns.findIndex((c) => c.name === key);
    if (at < 0) throw new Error(`${this.table}: ${key} is not one of the columns written`);
    if (conn.dialect === 'postgres') {
      await this.stage(conn, rows);
      // The keys of the updated rows (usually none) cross the wire, not those of the new ones.
      const [r] = await conn.all<{ updated: string[] | null }>(
        `WITH w AS (${this.pgInsert(`RETURNING ${key} AS k, (xmax = 0) AS ins`)}) SELECT array_agg(k) FILTER (WHERE NOT ins) AS updated FROM w`,
        this.pgParams(now),
      );
      if (!r.updated?.length) return allNew(rows.length);
      const updated = new Set(r.updated.map(String));
      return { count: rows.length - updated.size, has: (k) => !updated.has(k) };
    }
    const before = await this.maxRowid(conn);
    await this.sqliteWrite(conn, rows, now, '');
    const [{ n }] = await conn.all<{ n: number }>(`SELECT count(*) AS n FROM ${this.table} WHERE ${this.rowid()} > ?`, [before]);
    if (Number(n) === rows.length) return allNew(rows.length);
    const inserted = new Set((await conn.all<{ k: string }>(`SELECT ${key} AS k FROM ${this.table} WHERE ${this.rowid()} > ?`, [before])).map((f) => String(f.k)));
    return { count: inserted.size, has: (k) => inserted.has(k) };
  }

  /**
   * PostgreSQL, during a bulk load into a table that was empty when the import began: the rows are
   * copied straight into the table (no staging table, no conflict handling; they are all new) inside
   * a savepoint. False when a key was already there (a row repeated from an earlier batch): nothing
   * is written then, and the caller upserts instead.
   */
  async copyNew(conn: RawConnection, rows: SqlValue[][], now: string): Promise<boolean> {
    if (conn.dialect !== 'postgres') throw new Error('copyNew is PostgreSQL only');
    if (rows.length === 0) return true;
    await conn.run('SAVEPOINT import_copy_new');
    try {
      const stamps = this.opts.stamps.map(() => `\t${now}`).join('');
      await conn.copyFrom(`COPY ${this.table} (${this.names()}) FROM STDIN`, copyText(rows, this.columns.length, stamps));
    } catch (e) {
      if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
      await conn.run('ROLLBACK TO SAVEPOINT import_copy_new');
      return false;
    }
    await conn.run('RELEASE SAVEPOINT import_copy_new');
    return true;
  }

  /** Like write, returning the rows of `RETURNING <returning>` (inserted and updated alike). */
  async returning<T = Record<string, unknown>>(conn: RawConnection, rows: SqlValue[][], now: string, returning: string): Promise<T[]> {
    if (rows.length === 0) return [];
    if (conn.dialect === 'postgres') {
      await this.stage(conn, rows);
      return conn.all<T>(this.pgInsert(`RETURNING ${returning}`), this.pgParams(now));
    }
    return this.sqliteWrite<T>(conn, rows, now, `RETURNING ${returning}`);
  }

  private names(): string {
    return [...this.columns.map((c) => c.name), ...this.opts.stamps].join(', ');
  }

  private rowid(): string {
    if (!this.opts.rowid) throw new Error(`${this.table}: no rowid option, cannot tell new rows`);
    return this.opts.rowid;
  }

  private async maxRowid(conn: RawConnection): Promise<number> {
    return Number((await conn.all<{ m: number }>(`SELECT COALESCE(max(${this.rowid()}), 0) AS m FROM ${this.table}`))[0].m);
  }

  // ------------------------------------------------------------------ PostgreSQL

  private async stage(conn: RawConnection, rows: SqlValue[][]): Promise<void> {
    await this.staging.fill(conn, copyText(rows, this.columns.length));
  }

  /** `$1` is the batch time, when there are stamps to fill. */
  private pgParams(now: string): SqlValue[] {
    return this.opts.stamps.length ? [now] : [];
  }

  /** `$1` is the batch time. */
  private pgInsert(returning: string): string {
    const cols = this.columns.map((c) => c.name).join(', ');
    const stamps = this.opts.stamps.map(() => '$1::timestamptz');
    return `INSERT INTO ${this.table} (${this.names()}) SELECT ${[cols, ...stamps].join(', ')} FROM ${this.staging.name} ${this.opts.conflict} ${returning}`;
  }

  // ------------------------------------------------------------------ SQLite

  private get rowsPerSqliteStatement(): number {
    return Math.max(1, Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_PARAMS / this.columns.length)));
  }

  private sqliteStatement(rows: number, returning: string): string {
    const cacheKey = `${rows}|${returning}`;
    let sql = this.sqliteSql.get(cacheKey);
    if (!sql) {
      // ?1 is the batch time, used by every row; values follow from ?2.
      const width = this.columns.length;
      const stamp = this.opts.stamps.map(() => '?1');
      const tuples: string[] = [];
      for (let r = 0; r < rows; r++) {
        const ps: string[] = [];
        for (let c = 0; c < width; c++) ps.push(`?${2 + r * width + c}`);
        tuples.push(`(${[...ps, ...stamp].join(',')})`);
      }
      sql = `INSERT INTO ${this.table} (${this.names()}) VALUES ${tuples.join(',')} ${this.opts.conflict} ${returning}`;
      this.sqliteSql.set(cacheKey, sql);
    }
    return sql;
  }

  /**
   * Chunks for SQLite: full statements of rowsPerSqliteStatement rows, then the rest in
   * power-of-two sizes, so a handful of prepared statements serve every batch.
   */
  private sqliteChunks(total: number): number[] {
    const per = this.rowsPerSqliteStatement;
    const sizes: number[] = [];
    let left = total;
    while (left >= per) {
      sizes.push(per);
      left -= per;
    }
    for (let p = 1 << 30; p >= 1; p >>= 1) if (left & p) sizes.push(p);
    return sizes;
  }

  /**
   * Binding a chunk's parameters happens on the main thread (node-sqlite3 copies them at the call), and
   * a statement's next queued run starts only from a main-thread callback. So a chunk is bound while
   * the one before it executes, at most two handed over at once: binding every chunk of the batch in
   * one go kept the writer waiting for all of it (shipments: 24.5 -> 21 s a million rows).
   */
  private async sqliteWrite<T>(conn: RawConnection, rows: SqlValue[][], now: string, returning: string): Promise<T[]> {
    const width = this.columns.length;
    // Sized once: grown by push, these arrays were a fifth of all the importer allocated (more GC).
    const params = (start: number, size: number): SqlValue[] => {
      const ps = new Array<SqlValue>(1 + size * width);
      ps[0] = now;
      let k = 1;
      for (let i = start; i < start + size; i++) {
        const row = rows[i];
        for (let c = 0; c < width; c++) ps[k++] = row[c];
      }
      return ps;
    };
    const runs: Promise<T[] | void>[] = [];
    let start = 0;
    try {
      let previous = '';
      for (const size of this.sqliteChunks(rows.length)) {
        const sql = this.sqliteStatement(size, returning);
        // Runs of one prepared statement execute in call order; another statement could overtake them
        // (the rows' ids, and the seeder's determinism, follow the execution order).
        if (sql !== previous) await Promise.all(runs);
        else if (runs.length >= 2) await runs[runs.length - 2];
        previous = sql;
        const run = returning ? conn.all<T>(sql, params(start, size)) : conn.run(sql, params(start, size));
        // A failure is thrown where the run is awaited (below), not reported as unhandled.
        run.catch(() => undefined);
        runs.push(run);
        start += size;
      }
    } finally {
      // Nothing of the batch is left running when this returns or throws (the caller rolls back).
      await Promise.allSettled(runs);
    }
    const out: T[] = [];
    for (const run of runs) {
      const value = await run;
      if (value) out.push(...value);
    }
    return out;
  }
}

/** Pads a key list to a few fixed lengths (repeating the last key) so prepared statements are reused. */
function padded<K>(keys: K[], max: number): K[] {
  let size = 16;
  while (size < keys.length && size < max) size *= 2;
  size = Math.min(size, max);
  if (keys.length >= size) return keys;
  const out = keys.slice();
  while (out.length < size) out.push(keys[keys.length - 1]);
  return out;
}

/**
 * SQLite: calls `run` with an `IN (?n, ...)` list for each chunk of the keys, padded to a few fixed
 * lengths so the statement is prepared once; `firstParam` is the number of the list's first
 * parameter (those before it are the caller's).
 */
export async function forKeyChunks<K extends string | number>(
  keys: K[],
  run: (inList: string, chunk: K[]) => Promise<unknown>,
  firstParam = 1,
): Promise<void> {
  for (let start = 0; start < keys.length; start += SQLITE_IN_CHUNK) {
    const chunk = padded(keys.slice(start, start + SQLITE_IN_CHUNK), SQLITE_IN_CHUNK);
    await run(`IN (${chunk.map((_, i) => `?${firstParam + i}`).join(',')})`, chunk);
  }
}

/**
 * Runs `select` (a SELECT ending in `WHERE <column>`) for the keys: `IN (...)` in chunks on
 * SQLite, `= ANY($1::type[])` on PostgreSQL.
 */
export async function selectIn<T>(conn: RawConnection, select: string, keys: (string | number)[], pg: PgType): Promise<T[]> {
  if (keys.length === 0) return [];
  if (conn.dialect === 'postgres') return conn.all<T>(`${select} = ANY($1::${pg}[])`, [keys]);
  const out: T[] = [];
  await forKeyChunks(keys, async (inList, chunk) => out.push(...(await conn.all<T>(`${select} ${inList}`, chunk))));
  return out;
}

/**
 * `UPDATE <table> SET <set> WHERE <column>` for the keys, where `set` may use one leading parameter
 * (`?1` on SQLite, `$2` on PostgreSQL: pass it as `param`).
 */
export async function updateIn(
  conn: RawConnection,
  table: string,
  set: { sqlite: string; pg: string },
  where: string,
  keys: (string | number)[],
  pg: PgType,
  param: string | number,
): Promise<void> {
  if (keys.length === 0) return;
  if (conn.dialect === 'postgres') {
    await conn.run(`UPDATE ${table} SET ${set.pg} WHERE ${where} = ANY($1::${pg}[])`, [keys, param]);
    return;
  }
  await forKeyChunks(keys, (inList, chunk) => conn.run(`UPDATE ${table} SET ${set.sqlite} WHERE ${where} ${inList}`, [param, ...chunk]), 2);
}
