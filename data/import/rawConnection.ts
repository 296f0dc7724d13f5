import sqlite3 from 'sqlite3';
import type { Database } from '../db';
import type { Dialect } from '../../domain/sql';

/**
 * One connection for the bulk import, below Sequelize: statements with bound parameters and no
 * per-row model work. On SQLite, a connection of its own with the same PRAGMAs as the app's
 * (Sequelize would open a new, un-tuned connection per transaction) and a cache of prepared
 * statements; on PostgreSQL, a client borrowed from Sequelize's pool (search_path included).
 */
export type SqlValue = string | number | null | (string | number | null)[];

export interface RawConnection {
  readonly dialect: Dialect;
  run(sql: string, params?: SqlValue[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The app's PRAGMAs (data/db.ts), with a 32 MB page cache: as fast for batched imports, and the process stays small. */
const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
  'PRAGMA cache_size = -32768',
  'PRAGMA temp_store = MEMORY',
];

interface PgClient {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
}

interface ConnectionManagerLike {
  getConnection(opts: { type: 'read' | 'write' }): Promise<unknown>;
  releaseConnection(conn: unknown): void | Promise<void>;
}

export async function openRawConnection(db: Database): Promise<RawConnection> {
  const cm = (db.sequelize as unknown as { connectionManager: ConnectionManagerLike }).connectionManager;
  if (db.dialect === 'sqlite') {
    const storage = db.target.storage!;
    if (storage === ':memory:') {
      // An in-memory database exists on its one connection only: share Sequelize's.
      return sqliteConnection((await cm.getConnection({ type: 'write' })) as sqlite3.Database, false);
    }
    const conn = await new Promise<sqlite3.Database>((resolve, reject) => {
      const c = new sqlite3.Database(storage, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(c)));
    });
    const raw = sqliteConnection(conn, true);
    for (const p of SQLITE_PRAGMAS) await raw.run(p);
    return raw;
  }
  const client = (await cm.getConnection({ type: 'write' })) as PgClient;
  return pgConnection(client, () => cm.releaseConnection(client));
}

function sqliteConnection(conn: sqlite3.Database, owned: boolean): RawConnection {
  const statements = new Map<string, sqlite3.Statement>();
  const prepare = (sql: string): Promise<sqlite3.Statement> => {
    const hit = statements.get(sql);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const stmt = conn.prepare(sql, (err) => {
        if (err) return reject(withSql(err, sql));
        if (statements.size >= 64) {
          const [oldestSql, oldest] = statements.entries().next().value as [string, sqlite3.Statement];
          statements.delete(oldestSql);
          oldest.finalize();
        }
        statements.set(sql, stmt);
        resolve(stmt);
      });
    });
  };
  const exec = (sql: string) => new Promise<void>((resolve, reject) => conn.exec(sql, (err) => (err ? reject(withSql(err, sql)) : resolve())));
  const self: RawConnection = {
    dialect: 'sqlite',
    async run(sql, params = []) {
      if (params.length === 0 && !/^\s*(insert|update|delete|select)/i.test(sql)) return exec(sql);
      const stmt = await prepare(sql);
      await new Promise<void>((resolve, reject) => stmt.run(params, (err: Error | null) => (err ? reject(withSql(err, sql)) : resolve())));
    },
    async all<T>(sql: string, params: SqlValue[] = []) {
      const stmt = await prepare(sql);
      return new Promise<T[]>((resolve, reject) => stmt.all(params, (err: Error | null, rows: T[]) => (err ? reject(withSql(err, sql)) : resolve(rows))));
    },
    async transaction<T>(fn: () => Promise<T>) {
      await exec('BEGIN IMMEDIATE');
      try {
        const value = await fn();
        await exec('COMMIT');
        return value;
      } catch (e) {
        await exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    },
    async close() {
      for (const s of statements.values()) await new Promise<void>((resolve) => s.finalize(() => resolve()));
      statements.clear();
      if (owned) await new Promise<void>((resolve, reject) => conn.close((err) => (err ? reject(err) : resolve())));
    },
  };
  return self;
}

function pgConnection(client: PgClient, release: () => void | Promise<void>): RawConnection {
  let broken = false;
  const query = async (sql: string, params: SqlValue[] = []) => {
    try {
      return (await client.query({ text: sql, values: params })).rows;
    } catch (e) {
      throw withSql(e as Error, sql);
    }
  };
  return {
    dialect: 'postgres',
    async run(sql, params) {
      await query(sql, params);
    },
    async all<T>(sql: string, params?: SqlValue[]) {
      return (await query(sql, params)) as T[];
    },
    async transaction<T>(fn: () => Promise<T>) {
      await query('BEGIN');
      try {
        const value = await fn();
        await query('COMMIT');
        return value;
      } catch (e) {
        await query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw e;
      }
    },
    async close() {
      // A client whose rollback failed is not handed back to the pool as if it were healthy.
      if (broken) (client as unknown as { end?: () => void }).end?.();
      await release();
    },
  };
}

/** Adds the start of the statement to a driver error (its message alone rarely says which one failed). */
function withSql(err: Error, sql: string): Error {
  if (!(err as { sqlAdded?: boolean }).sqlAdded) {
    err.message = `${err.message} [in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}]`;
    (err as { sqlAdded?: boolean }).sqlAdded = true;
  }
  return err;
}
