import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Dialect, SqlParam, SqlRunner } from '../domain/sql';

/** Statements that return rows: SELECT and WITH ... SELECT (leading comments allowed). */
const READS = /^(?:\s|\/\*[^*]*\*\/|--[^\n]*\n)*(?:select|with|pragma|values)\b/i;

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
