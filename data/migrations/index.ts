import type { QueryInterface, Sequelize } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import * as m001 from './001-initial-schema';

/** Versioned migrations, in order. Add a file and list it here; never edit one that has shipped. */
const MIGRATIONS = [{ name: '001-initial-schema', module: m001 }];

export function createMigrator(sequelize: Sequelize) {
  return new Umzug<QueryInterface>({
    migrations: MIGRATIONS.map(({ name, module }) => ({
      name,
      up: ({ context }: { context: QueryInterface }) => module.up({ context }),
      down: ({ context }: { context: QueryInterface }) => module.down({ context }),
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/** Key of the PostgreSQL advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 774_211_001;

/**
 * Applies pending migrations; returns the names applied. On PostgreSQL, replicas starting together
 * queue on an advisory lock so that exactly one of them migrates.
 */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  if (sequelize.getDialect() !== 'postgres') {
    return (await createMigrator(sequelize).up()).map((m) => m.name);
  }
  return sequelize.transaction(async (t) => {
    await sequelize.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`, { transaction: t });
    return (await createMigrator(sequelize).up()).map((m) => m.name);
  });
}
