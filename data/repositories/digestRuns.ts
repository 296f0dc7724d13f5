import type { DigestRun, DigestRunRepository, DigestRunStatus } from '../../domain/digests/runs';
import { isUniqueViolation, stamp, toDate, type RepoContext } from './support';

interface RunRow {
  subscription_id: number | string;
  scheduled_for: unknown;
  status: string;
  runner: string | null;
  posted_at: unknown;
  error: string | null;
}

export function createDigestRunRepository({ db, now }: RepoContext): DigestRunRepository {
  const { sql } = db;
  return {
    async claim(subscriptionId, scheduledFor, runner) {
      try {
        // digest_runs_uq (subscription_id, scheduled_for) decides across replicas: on PostgreSQL a
        // concurrent INSERT of the same slot waits for the first one's commit, then fails.
        await sql.query('INSERT INTO digest_runs (subscription_id, scheduled_for, status, runner, created_at) VALUES (?, ?, ?, ?, ?)', [
          subscriptionId,
          stamp(scheduledFor),
          'claimed',
          runner,
          stamp(now()),
        ]);
        return true;
      } catch (e) {
        if (isUniqueViolation(e)) return false;
        throw e;
      }
    },

    async finish(subscriptionId, scheduledFor, outcome) {
      await sql.query('UPDATE digest_runs SET status = ?, posted_at = ?, error = ? WHERE subscription_id = ? AND scheduled_for = ?', [
        outcome.status,
        outcome.status === 'posted' ? stamp(now()) : null,
        outcome.status === 'failed' ? outcome.error.slice(0, 2000) : null,
        subscriptionId,
        stamp(scheduledFor),
      ]);
    },

    async list(subscriptionId, limit) {
      const rows = await sql.query<RunRow>(
        'SELECT subscription_id, scheduled_for, status, runner, posted_at, error FROM digest_runs WHERE subscription_id = ? ORDER BY scheduled_for DESC LIMIT ?',
        [subscriptionId, limit],
      );
      return rows.map(
        (r): DigestRun => ({
          subscriptionId: Number(r.subscription_id),
          scheduledFor: toDate(r.scheduled_for).toISOString(),
          status: r.status as DigestRunStatus,
          runner: r.runner,
          postedAt: r.posted_at ? toDate(r.posted_at).toISOString() : null,
          error: r.error,
        }),
      );
    },
  };
}
