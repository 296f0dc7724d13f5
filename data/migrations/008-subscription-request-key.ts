import type { QueryInterface } from 'sequelize';

/**
 * digest_subscriptions.request_key: the token of the Confirm that created a schedule, unique, so a
 * Confirm pressed twice at once (two replicas, a double click) or again after a failure creates one
 * schedule, as orders and disputes already do. Partial: schedules made with `waybill digest add` have none.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const q = (s: string) => qi.sequelize.query(s);
  await q('ALTER TABLE digest_subscriptions ADD COLUMN request_key VARCHAR(200)');
  await q('CREATE UNIQUE INDEX digest_subscriptions_request_key_uq ON digest_subscriptions (request_key) WHERE request_key IS NOT NULL');
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  const q = (s: string) => qi.sequelize.query(s);
  await q('DROP INDEX IF EXISTS digest_subscriptions_request_key_uq');
  await q('ALTER TABLE digest_subscriptions DROP COLUMN request_key');
}
