import type { QueryInterface } from 'sequelize';

/**
 * A lane's KPIs (origin, and destination) reach the period's invoice lines through the lane's
 * shipments, as a customer's do (domain/kpi/queries.ts): (origin_key, destination_key, shipment_id),
 * index-only. Migration 005 dropped the single-column place indexes, which no query used; this one
 * index serves the invoice side of a lane or an origin (a lane's month on SQLite at a million
 * shipments: ~210 -> ~40 ms). On PostgreSQL the keys are in the "C" collation, where a "dallas,"
 * prefix is a range of the index, as it is in SQLite.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const c = qi.sequelize.getDialect() === 'postgres' ? ' COLLATE "C"' : '';
  await qi.sequelize.query(`CREATE INDEX shipments_lane_idx ON shipments (origin_key${c}, destination_key${c}, shipment_id)`);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.sequelize.query('DROP INDEX IF EXISTS shipments_lane_idx');
}
