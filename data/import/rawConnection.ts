import sqlite3 from 'sqlite3';
import { from as copyFromStdin } from 'pg-copy-streams';
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
  /** A number for the transaction in progress (each one gets a new one); undefined outside transactions. */
  readonly transactionId: number | undefined;
  /** PostgreSQL: `COPY ... FROM STDIN` with `data` in the COPY text format. */
  copyFrom(sql: string, data: string): Promise<void>;
  /**
   * Runs `ddl` (creating a session's temporary table `name`) unless a committed transaction of this
   * connection already did: only the first batch pays for it, and a rolled-back one is forgotten.
   */
  ensureTable(name: string, ddl: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The app's PRAGMAs (data/db.ts), with a 16 MB page cache (batched imports touch the right edge of
 * each index: as fast as 32 MB, and the process stays well under its 300 MB) and a checkpoint every
 * 64 MB of WAL instead of every 4 MB: each checkpoint
 * copies pages to the database file and syncs it, and the import's pages are rewritten batch after
 * batch, so checkpointing less often writes each page fewer times (about a third faster). Durability
 * is unchanged: commits still go to the WAL, synchronous = NORMAL as everywhere.
 */
const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
  'PRAGMA cache_size = -16384',
  'PRAGMA temp_store = MEMORY',
  'PRAGMA wal_autocheckpoint = 16384',
];
/** Prepared statements kept per connection (least recently used dropped first). */
const STATEMENT_CACHE = 64;

interface PgClient {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
  /** A submittable such as a COPY stream is handed back as it is. */
  query<S extends NodeJS.WritableStream>(submittable: S): S;
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
  // Promises, so that calls made before the statement is ready share one prepared statement: runs of
  // one statement are queued by the driver in call order, their parameters bound at the call.
  const statements = new Map<string, Promise<sqlite3.Statement>>();
  const prepare = (sql: string): Promise<sqlite3.Statement> => {
    const hit = statements.get(sql);
    if (hit) {
      // Most recently used last: a Map iterates in insertion order.
      statements.delete(sql);
      statements.set(sql, hit);
      return hit;
    }
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const stmt = conn.prepare(sql, (err) => (err ? reject(withSql(err, sql)) : resolve(stmt)));
    });
    statements.set(sql, prepared);
    prepared.catch(() => statements.delete(sql));
    if (statements.size > STATEMENT_CACHE) {
      const [oldestSql, oldest] = statements.entries().next().value as [string, Promise<sqlite3.Statement>];
      statements.delete(oldestSql);
      // Finalizing waits in the statement's queue behind its pending runs.
      oldest.then((st) => st.finalize(), () => undefined);
    }
    return prepared;
  };
  const exec = (sql: string) => new Promise<void>((resolve, reject) => conn.exec(sql, (err) => (err ? reject(withSql(err, sql)) : resolve())));
  const tx: { count: number; current?: number } = { count: 0 };
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
    get transactionId() {
      return tx.current;
    },
    async transaction<T>(fn: () => Promise<T>) {
      await exec('BEGIN IMMEDIATE');
      tx.current = ++tx.count;
      try {
        const value = await fn();
        await exec('COMMIT');
        return value;
      } catch (e) {
        await exec('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        tx.current = undefined;
      }
    },
    copyFrom() {
      return Promise.reject(new Error('COPY is PostgreSQL only'));
    },
    ensureTable(_name, ddl) {
      return self.run(ddl);
    },
    async close() {
      for (const p of statements.values()) {
        const st = await p.catch(() => undefined);
        if (st) await new Promise<void>((resolve) => st.finalize(() => resolve()));
      }
      statements.clear();
      if (owned) await new Promise<void>((resolve, reject) => conn.close((err) => (err ? reject(err) : resolve())));
    },
  };
  return self;
}

function pgConnection(client: PgClient, release: () => void | Promise<void>): RawConnection {
  let broken = false;
  const tx: { count: number; current?: number } = { count: 0 };
  // Temporary tables known to exist in this session, and those created by the transaction in progress.
  const tables = new Set<string>();
  const creating = new Set<string>();
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
    get transactionId() {
      return tx.current;
    },
    async transaction<T>(fn: () => Promise<T>) {
      await query('BEGIN');
      tx.current = ++tx.count;
      try {
        const value = await fn();
        await query('COMMIT');
        for (const t of creating) tables.add(t);
        return value;
      } catch (e) {
        await query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw e;
      } finally {
        tx.current = undefined;
        creating.clear();
      }
    },
    async ensureTable(name, ddl) {
      if (tables.has(name) || creating.has(name)) return;
      await query(ddl);
      if (tx.current === undefined) tables.add(name);
      else creating.add(name);
    },
    async copyFrom(sql, data) {
      try {
        await new Promise<void>((resolve, reject) => {
          const stream = client.query(copyFromStdin(sql));
          stream.on('error', reject);
          stream.on('finish', resolve);
          stream.end(data);
        });
      } catch (e) {
        throw withSql(e as Error, sql);
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
