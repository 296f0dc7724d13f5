import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * What a PostgreSQL bulk import dropped and must recreate (data/import/bulkLoad.ts): one row per index
 * or foreign key, its name and the statement that recreates it, written in the transaction that drops
 * it and deleted in the one that recreates it. Empty except while (or after a crash during) a bulk
 * import; SQLite never bulk-loads and keeps it empty.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('import_dropped_indexes', {
    name: { type: DataTypes.STRING(200), primaryKey: true, allowNull: false },
    definition: { type: DataTypes.TEXT, allowNull: false },
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('import_dropped_indexes');
}
