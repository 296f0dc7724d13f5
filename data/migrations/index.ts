import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { Umzug, type UmzugStorage } from 'umzug';
import * as m001 from './001-initial-schema';
import * as m002 from './002-conversations';
import * as m003 from './003-conversation-refs';
import * as m004 from './004-kpi-data-version';
import * as m005 from './005-lean-indexes';
import * as m006 from './006-kpi-covering-indexes';
import * as m007 from './007-bulk-load-ledger';
import * as m008 from './008-subscription-request-key';
import * as m009 from './009-kpi-customer-paths';
import * as m010 from './010-kpi-lane-index';
import { repairBulkLoad } from '../import/bulkLoad';

/** Versioned migrations, in order. Add a file and list it here; never edit one that has shipped. */
const MIGRATIONS = [
  { name: '001-initial-schema', module: m001 },
  { name: '002-conversations', module: m002 },
  { name: '003-conversation-refs', module: m003 },
  { name: '004-kpi-data-version', module: m004 },
  { name: '005-lean-indexes', module: m005 },
  { name: '006-kpi-covering-indexes', module: m006 },
  { name: '007-bulk-load-ledger', module: m007 },
  { name: '008-subscription-request-key', module: m008 },
  { name: '009-kpi-customer-paths', module: m009 },
  { name: '010-kpi-lane-index', module: m010 },
];

/**
 * Which migrations ran, in `schema_migrations (name)`. Umzug's SequelizeStorage runs Model.sync on
 * every call, whose index lookup on PostgreSQL is not limited to the current schema and fails when
 * another schema is dropped at the same moment (parallel test runs); plain statements do not.
 */
function migrationTable(sequelize: Sequelize): UmzugStorage<QueryInterface> {
  const ensure = () => sequelize.query('CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(255) NOT NULL PRIMARY KEY)');
  return {
    async executed() {
      await ensure();
      const rows = await sequelize.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name', { type: QueryTypes.SELECT });
      return rows.map((r) => r.name);
    },
    async logMigration({ name }) {
      await ensure();
      await sequelize.query('INSERT INTO schema_migrations (name) VALUES (?)', { replacements: [name] });
    },
    async unlogMigration({ name }) {
      await sequelize.query('DELETE FROM schema_migrations WHERE name = ?', { replacements: [name] });
    },
  };
}

export function createMigrator(sequelize: Sequelize) {
  return new Umzug<QueryInterface>({
    migrations: MIGRATIONS.map(({ name, module }) => ({
      name,
      up: ({ context }: { context: QueryInterface }) => module.up({ context }),
      down: ({ context }: { context: QueryInterface }) => module.down({ context }),
    })),
    context: sequelize.getQueryInterface(),
    storage: migrationTable(sequelize),
    logger: undefined,
  });
}

/** Key of the PostgreSQL advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 774_211_001;

/**
 * Applies pending migrations; returns the names applied. On PostgreSQL, replicas starting together
 * queue on an advisory lock so that exactly one of them migrates; then the indexes a killed bulk
 * import left dropped are recreated (data/import/bulkLoad.ts).
 */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  if (sequelize.getDialect() !== 'postgres') {
    return (await createMigrator(sequelize).up()).map((m) => m.name);
  }
  return sequelize.transaction(async (t) => {
    await sequelize.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`, { transaction: t });
    const applied = (await createMigrator(sequelize).up()).map((m) => m.name);
    await repairBulkLoad(async (sql, bind) => (await sequelize.query(sql, { bind, transaction: t, raw: true }))[0] as Array<Record<string, unknown>>);
    return applied;
  });
}
