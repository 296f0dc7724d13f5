import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Dialect, SqlParam, SqlRunner } from '../domain/sql';

/** Statements that return rows: SELECT and WITH ... SELECT (leading comments allowed). */
const READS = /^(?:\s|\/\*[^*]*\*\/|--[^\n]*\n)*(?:select|with|pragma|values)\b/i;

/** A statement that only reads (SELECT or WITH ... SELECT, no INSERT/UPDATE/DELETE/REPLACE anywhere in it). */
const PURE_READ = /^(?:\s|\/\*[^*]*\*\/|--[^\n]*\n)*(?:select|with)\b/i;
const WRITE_WORD = /\b(?:insert|update|delete|replace)\b/i;
export function isPureRead(sql: string): boolean {
  return PURE_READ.test(sql) && !WRITE_WORD.test(sql);
}

/**
 * SQLite: statements outside a transaction that only read go to `reads` (read-only connections),
 * everything else to `main`. One SQLite connection runs one statement at a time, and each next one
 * starts from a main-thread callback: with every message's lookups (its person, its dialog state,
 * the shipments it asks about) queued behind the writes on one connection, that connection was the
 * bot's bottleneck under load. A reader sees every commit made before its statement starts (WAL),
 * and a write outside a transaction has committed when its promise resolves, so read-your-writes
 * holds; a transaction's statements all stay on its own connection.
 */
export function routeReads(main: SqlRunner, reads: SqlRunner): SqlRunner {
  return {
    dialect: main.dialect,
    query: <T>(sql: string, params?: SqlParam[]) => (isPureRead(sql) ? reads.query<T>(sql, params) : main.query<T>(sql, params)),
    transaction: (fn) => main.transaction(fn),
  };
}

/** Executes domain-built SQL through Sequelize, inside a transaction when one is given. */
export function createSqlRunner(sequelize: Sequelize, dialect: Dialect, transaction?: Transaction): SqlRunner {
  return {
    dialect,
    async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
      const options = { replacements: params.length ? params : undefined, transaction, raw: true };
      // Sequelize treats SELECT and write statements differently (a SELECT-typed INSERT breaks on SQLite).
      if (READS.test(sql)) return (await sequelize.query(sql, { ...options, type: QueryTypes.SELECT })) as T[];
      const [rows] = await sequelize.query(sql, { ...options, type: QueryTypes.RAW });
      return (Array.isArray(rows) ? rows : []) as T[];
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      if (transaction) return fn(this);
      return sequelize.transaction((t) => fn(createSqlRunner(sequelize, dialect, t)));
    },
  };
}
