import fs from 'node:fs';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import type { Dialect, SqlParam, SqlRunner } from '../domain/sql';
import { DatabaseUnavailableError } from '../domain/errors';
import type { Logger } from '../domain/logger';
import { parseDatabaseUrl, redactUrl, type DatabaseTarget } from './databaseUrl';
import { createSqlRunner, routeReads } from './sqlRunner';
import { openSqliteReader, type SqliteReader } from './sqliteReader';
import { defineModels, type Models } from './models';

export interface Database {
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
  readonly target: DatabaseTarget;
  readonly models: Models;
  /**
   * Runs domain-built SQL. On a SQLite file, statements outside a transaction that only read run on a
   * read-only connection of their own, beside the writes (see routeReads in ./sqlRunner.ts).
   */
  readonly sql: SqlRunner;
  /**
   * Runs long reads (the KPIs) on connections of their own, so a month of KPIs being computed never
   * holds up the short statements of every message: READ_CONNECTIONS of them. On SQLite read-only
   * connections (WAL lets readers run beside the writer; each sees what was committed when its
   * statement starts), each statement on the one with fewer in flight: one connection runs one
   * statement at a time, so two let the KPIs use both cores. On PostgreSQL a pool with JIT compilation
   * off (it costs more than these queries).
   * On an in-memory SQLite database, the same runner as `sql`.
   */
  readonly readSql: SqlRunner;
  /** A safe description of where the data lives (no password). */
  readonly description: string;
  /**
   * Resolves when the database answers a trivial query within `timeoutMs`, else rejects with a
   * DatabaseUnavailableError saying why: /healthz's check, cheap and never hanging.
   */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** How long /healthz waits for the database before calling it down. */
export const PING_TIMEOUT_MS = 3_000;

export interface OpenOptions {
  url?: string;
  projectRoot: string;
  logger?: Logger;
}

/** Opens (and for SQLite creates) the database and checks that it answers. Does not migrate. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const target = parseDatabaseUrl(opts.url, opts.projectRoot);
  const log = opts.logger;
  let sequelize: Sequelize;
  let description: string;
  if (target.dialect === 'sqlite') {
    const storage = target.storage!;
    if (storage !== ':memory:') {
      try {
        fs.mkdirSync(path.dirname(storage), { recursive: true });
      } catch (e) {
        throw new DatabaseUnavailableError(`cannot create ${path.dirname(storage)}: ${(e as Error).message}`);
      }
    }
    description = storage === ':memory:' ? 'sqlite::memory:' : `sqlite:${storage}`;
    sequelize = new Sequelize({
      dialect: 'sqlite',
      storage,
      logging: false,
      // One connection: SQLite serialises writers anyway, and :memory: must stay one database. Bounded
      // waits while another process holds the file's lock: each statement waits busy_timeout (5 s), is
      // tried once more, then fails as busy (people are told to try again); messages queued behind it
      // give up after 20 s instead of Sequelize's 60 s.
      pool: { max: 1, min: 1, idle: 60_000, acquire: 20_000 },
      retry: { max: 2, match: [/SQLITE_BUSY/] },
    });
  } else {
    description = redactUrl(target.url!) + (target.schema ? ` (schema ${target.schema})` : '');
    sequelize = new Sequelize(target.url!, {
      dialect: 'postgres',
      logging: false,
      pool: { max: 10, min: 0, idle: 10_000, acquire: 10_000 },
      dialectOptions: {
        connectionTimeoutMillis: 5_000,
        ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
      },
    });
  }
  try {
    await sequelize.authenticate();
    if (target.dialect === 'sqlite') {
      for (const pragma of [
        'PRAGMA journal_mode = WAL',
        'PRAGMA synchronous = NORMAL',
        'PRAGMA foreign_keys = ON',
        'PRAGMA busy_timeout = 5000',
        // 16 MB: the OS page cache keeps the hot pages of the file anyway; SQLite's private cache only
        // saves a copy out of it, and counts in the process's memory (64 MB each for the two
        // connections cost ~100 MB of RSS under load for no measurable speed).
        'PRAGMA cache_size = -16384',
        'PRAGMA temp_store = MEMORY',
      ]) {
        await sequelize.query(pragma);
      }
    } else if (target.schema) {
      await sequelize.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
    }
  } catch (e) {
    await sequelize.close().catch(() => undefined);
    throw new DatabaseUnavailableError(`${description}: ${describeConnectionError(e)}`);
  }
  const readers: Array<{ runner: SqlRunner; close(): Promise<void> }> = [];
  let lookups: SqliteReader | undefined;
  try {
    if (target.dialect === 'postgres') {
      const pool = await openPostgresReader(target, description);
      readers.push({ runner: createSqlRunner(pool, 'postgres'), close: () => pool.close() });
    } else if (target.storage !== ':memory:') {
      for (let i = 0; i < READ_CONNECTIONS; i++) readers.push(await openReader(target.storage!, description));
      lookups = await openReader(target.storage!, description);
    }
  } catch (e) {
    for (const r of readers) await r.close().catch(() => undefined);
    await lookups?.close().catch(() => undefined);
    await sequelize.close().catch(() => undefined);
    throw e;
  }
  log?.debug({ database: description }, 'database opened');
  const models = defineModels(sequelize);
  const main = createSqlRunner(sequelize, target.dialect);
  return {
    sequelize,
    dialect: target.dialect,
    target,
    models,
    sql: lookups ? routeReads(main, lookups.runner) : main,
    readSql: readers.length > 1 ? leastBusy(readers.map((r) => r.runner)) : readers[0]?.runner ?? main,
    description,
    ping: (timeoutMs = PING_TIMEOUT_MS) => ping(sequelize, target.dialect, timeoutMs),
    close: async () => {
      for (const r of readers) await r.close();
      await lookups?.close();
      await sequelize.close();
    },
  };
}

/** Connections for `Database.readSql` (the KPIs: at most this many statements at a time, see bot/container.ts). */
export const READ_CONNECTIONS = 2;

/** Each statement on the runner with the fewest statements in flight (a transaction: the first's, which on SQLite refuses it). */
function leastBusy(runners: SqlRunner[]): SqlRunner {
  const inFlight = runners.map(() => 0);
  return {
    dialect: runners[0].dialect,
    async query<T>(text: string, params?: SqlParam[]): Promise<T[]> {
      let i = 0;
      for (let k = 1; k < runners.length; k++) if (inFlight[k] < inFlight[i]) i = k;
      inFlight[i]++;
      try {
        return await runners[i].query<T>(text, params);
      } finally {
        inFlight[i]--;
      }
    },
    transaction: (fn) => runners[0].transaction(fn),
  };
}

async function openPostgresReader(target: DatabaseTarget, description: string): Promise<Sequelize> {
  const reader = new Sequelize(target.url!, {
    dialect: 'postgres',
    logging: false,
    pool: { max: READ_CONNECTIONS, min: 0, idle: 10_000, acquire: 10_000 },
    dialectOptions: {
      connectionTimeoutMillis: 5_000,
      options: `${target.schema ? `-c search_path=${target.schema} ` : ''}-c jit=off`,
    },
  });
  try {
    await reader.authenticate();
    return reader;
  } catch (e) {
    await reader.close().catch(() => undefined);
    throw new DatabaseUnavailableError(`${description} (read connections): ${describeConnectionError(e)}`);
  }
}

/** A read-only connection (SQLite): `Database.readSql`'s, and the lookups of `Database.sql`. */
async function openReader(storage: string, description: string): Promise<SqliteReader> {
  try {
    // 8 MB each: the two KPI readers' caches together are the one reader's 16 MB they replaced.
    return await openSqliteReader(storage, 8192);
  } catch (e) {
    throw new DatabaseUnavailableError(`${description} (read connection): ${describeConnectionError(e)}`);
  }
}

async function ping(sequelize: Sequelize, dialect: Dialect, timeoutMs: number): Promise<void> {
  // SQLite answers SELECT 1 without the file; reading the schema needs the file to be readable.
  const query = sequelize.query(dialect === 'sqlite' ? 'SELECT 1 FROM sqlite_master LIMIT 1' : 'SELECT 1', { raw: true, retry: { max: 1 } });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([query, late]);
  } catch (e) {
    query.catch(() => undefined); // a query that lost the race may still fail later: not an unhandled rejection
    throw new DatabaseUnavailableError(describeConnectionError(e));
  } finally {
    clearTimeout(timer);
  }
}

function describeConnectionError(e: unknown): string {
  const err = e as { original?: { code?: string; message?: string }; parent?: { code?: string }; message?: string };
  const code = err.original?.code ?? err.parent?.code;
  const msg = (err.original?.message ?? err.message ?? String(e)).split('\n')[0];
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}
