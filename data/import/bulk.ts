import type { RawConnection, SqlValue } from './rawConnection';

/**
 * Set-based statements for the importer, one shape per dialect:
 * SQLite gets multi-row `INSERT ... VALUES (...),(...)` in chunks (bound parameters, prepared once
 * per chunk size), PostgreSQL gets one `INSERT ... SELECT FROM unnest($1::type[], ...)` per batch.
 * Both end in `ON CONFLICT (...) DO UPDATE`, which SQLite (>= 3.24) and PostgreSQL share.
 */
import type { PgType, SqlColumn } from '../columns';

/** Rows per SQLite INSERT statement (SQLite allows 32,766 bound parameters per statement). */
const SQLITE_MAX_PARAMS = 16_000;
const SQLITE_MAX_ROWS = 500;
/** Keys per SQLite `IN (...)` list. */
const SQLITE_IN_CHUNK = 4_000;

export interface BulkUpsertOptions {
  /** Timestamp columns filled with the batch's time (`created_at`, `updated_at`). */
  stamps: readonly string[];
  /** `ON CONFLICT (...) DO UPDATE SET ...` (and `RETURNING ...` for writeReturning). */
  tail: string;
  /** Count the rows inserted (not updated): the table has an integer `id` primary key. */
  countInserted?: boolean;
}

export class BulkUpsert {
  private readonly sqliteSql = new Map<number, string>();
  private pgSql?: string;

  constructor(
    private readonly table: string,
    private readonly columns: readonly SqlColumn[],
    private readonly opts: BulkUpsertOptions,
  ) {}

  private get rowsPerSqliteStatement(): number {
    return Math.max(1, Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_PARAMS / this.columns.length)));
  }

  private names(): string {
    return [...this.columns.map((c) => c.name), ...this.opts.stamps].join(', ');
  }

  private sqliteStatement(rows: number): string {
    let sql = this.sqliteSql.get(rows);
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
      sql = `INSERT INTO ${this.table} (${this.names()}) VALUES ${tuples.join(',')} ${this.opts.tail}`;
      this.sqliteSql.set(rows, sql);
    }
    return sql;
  }

  private pgStatement(): string {
    if (!this.pgSql) {
      const n = this.columns.length;
      const arrays = this.columns.map((c, i) => `$${i + 1}::${c.pg}[]`).join(', ');
      const alias = this.columns.map((c) => c.name).join(', ');
      const stamps = this.opts.stamps.map(() => `$${n + 1}::timestamptz`);
      this.pgSql =
        `INSERT INTO ${this.table} (${this.names()}) SELECT ${[...this.columns.map((c) => `v.${c.name}`), ...stamps].join(', ')} ` +
        `FROM unnest(${arrays}) AS v(${alias}) ${this.opts.tail}`;
    }
    return this.pgSql;
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
   * Inserts or updates the rows (each an array in column order; keys must be distinct within the
   * call). Returns how many were inserted when countInserted is set (else 0).
   */
  async write(conn: RawConnection, rows: SqlValue[][], now: string): Promise<number> {
    if (rows.length === 0) return 0;
    if (conn.dialect === 'postgres') {
      const params = [...this.pgColumns(rows), now];
      if (!this.opts.countInserted) {
        await conn.run(this.pgStatement(), params);
        return 0;
      }
      // xmax = 0: the row version was inserted by this statement, not updated.
      const [r] = await conn.all<{ n: string | number }>(
        `WITH w AS (${this.pgStatement()} RETURNING (xmax = 0) AS ins) SELECT count(*) FILTER (WHERE ins) AS n FROM w`,
        params,
      );
      return Number(r.n);
    }
    // SQLite: ids only grow (AUTOINCREMENT) and the batch holds the only write lock, so the
    // inserted rows are those above the largest id before the statement.
    const before = this.opts.countInserted
      ? Number((await conn.all<{ m: number }>(`SELECT COALESCE(max(id), 0) AS m FROM ${this.table}`))[0].m)
      : 0;
    await this.sqliteWrite(conn, rows, now, false);
    if (!this.opts.countInserted) return 0;
    return Number((await conn.all<{ n: number }>(`SELECT count(*) AS n FROM ${this.table} WHERE id > ?`, [before]))[0].n);
  }

  /** Like write, returning the rows of the tail's RETURNING clause. */
  async writeReturning<T = Record<string, unknown>>(conn: RawConnection, rows: SqlValue[][], now: string): Promise<T[]> {
    if (rows.length === 0) return [];
    if (conn.dialect === 'postgres') return conn.all<T>(this.pgStatement(), [...this.pgColumns(rows), now]);
    return this.sqliteWrite<T>(conn, rows, now, true);
  }

  private pgColumns(rows: SqlValue[][]): SqlValue[] {
    return this.columns.map((_, c) => rows.map((r) => r[c] as string | number | null));
  }

  private async sqliteWrite<T>(conn: RawConnection, rows: SqlValue[][], now: string, returning: boolean): Promise<T[]> {
    const out: T[] = [];
    let start = 0;
    for (const size of this.sqliteChunks(rows.length)) {
      const params: SqlValue[] = [now];
      for (let i = start; i < start + size; i++) for (const v of rows[i]) params.push(v);
      start += size;
      const sql = this.sqliteStatement(size);
      if (returning) out.push(...(await conn.all<T>(sql, params)));
      else await conn.run(sql, params);
    }
    return out;
  }
}

/** Pads a key list to a few fixed lengths (repeating the last key) so prepared statements are reused. */
function padded(keys: (string | number)[], max: number): (string | number)[] {
  let size = 16;
  while (size < keys.length && size < max) size *= 2;
  size = Math.min(size, max);
  if (keys.length >= size) return keys;
  const out = keys.slice();
  while (out.length < size) out.push(keys[keys.length - 1]);
  return out;
}

/**
 * Runs `select` (a SELECT ending in `WHERE <column>`) for the keys: `IN (?, ...)` in chunks on
 * SQLite, `= ANY($1::type[])` on PostgreSQL. Extra parameters may precede the key list.
 */
export async function selectIn<T>(conn: RawConnection, select: string, keys: (string | number)[], pg: PgType): Promise<T[]> {
  if (keys.length === 0) return [];
  if (conn.dialect === 'postgres') return conn.all<T>(`${select} = ANY($1::${pg}[])`, [keys]);
  const out: T[] = [];
  for (let start = 0; start < keys.length; start += SQLITE_IN_CHUNK) {
    const chunk = padded(keys.slice(start, start + SQLITE_IN_CHUNK), SQLITE_IN_CHUNK);
    out.push(...(await conn.all<T>(`${select} IN (${chunk.map(() => '?').join(',')})`, chunk)));
  }
  return out;
}

/**
 * `UPDATE <table> SET <set> WHERE <column>` for the keys, where `set` may use one leading parameter
 * (`?` on SQLite, `$2` on PostgreSQL: pass it as `param`).
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
  for (let start = 0; start < keys.length; start += SQLITE_IN_CHUNK) {
    const chunk = padded(keys.slice(start, start + SQLITE_IN_CHUNK), SQLITE_IN_CHUNK);
    await conn.run(`UPDATE ${table} SET ${set.sqlite} WHERE ${where} IN (${chunk.map(() => '?').join(',')})`, [param, ...chunk]);
  }
}
