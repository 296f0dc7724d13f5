import sqlite3 from 'sqlite3';
import type { SqlParam, SqlRunner } from '../domain/sql';

/**
 * A read-only SQLite connection below Sequelize, for the statements that only read (the KPIs, and
 * every message's lookups: see routeReads in ./sqlRunner.ts). Sequelize costs each statement a
 * captured and formatted stack trace, its replacements inlined into the SQL text and its result
 * handling: about a tenth of the bot's main thread under load, for nothing a read needs. Parameters
 * are bound (SqlParam is a string, a number or null, bound as such). Statements run one after the
 * other, as on any one SQLite connection (serialized mode: none waits on the connection's mutex in
 * a thread of the pool that the main connection needs).
 */
export interface SqliteReader {
  readonly runner: SqlRunner;
  close(): Promise<void>;
}

const PRAGMAS = ['PRAGMA busy_timeout = 5000', 'PRAGMA temp_store = MEMORY'];

export async function openSqliteReader(storage: string, cacheKb: number): Promise<SqliteReader> {
  const conn = await new Promise<sqlite3.Database>((resolve, reject) => {
    const c = new sqlite3.Database(storage, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(c)));
  });
  conn.serialize();
  const all = <T>(sql: string, params: SqlParam[] = []): Promise<T[]> =>
    new Promise((resolve, reject) => conn.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
  try {
    for (const p of [...PRAGMAS, `PRAGMA cache_size = -${Math.floor(cacheKb)}`]) await all(p);
  } catch (e) {
    await new Promise<void>((resolve) => conn.close(() => resolve()));
    throw e;
  }
  const runner: SqlRunner = {
    dialect: 'sqlite',
    query: all,
    transaction: () => Promise.reject(new Error('a read-only connection runs no transactions: use the main connection')),
  };
  return {
    runner,
    close: () => new Promise<void>((resolve, reject) => conn.close((err) => (err ? reject(err) : resolve()))),
  };
}
