import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Dialect, SqlParam, SqlRunner } from '../domain/sql';

/** Executes domain-built SQL through Sequelize, inside a transaction when one is given. */
export function createSqlRunner(sequelize: Sequelize, dialect: Dialect, transaction?: Transaction): SqlRunner {
  return {
    dialect,
    async query<T>(sql: string, params: SqlParam[] = []): Promise<T[]> {
      return (await sequelize.query(sql, {
        replacements: params.length ? params : undefined,
        type: QueryTypes.SELECT,
        transaction,
        raw: true,
      })) as T[];
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      if (transaction) return fn(this);
      return sequelize.transaction((t) => fn(createSqlRunner(sequelize, dialect, t)));
    },
  };
}
