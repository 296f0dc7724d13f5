import type { ProcessedEventRepository } from '../../domain/repositories';
import { isUniqueViolation, stamp, type RepoContext } from './support';

export function createProcessedEventRepository({ db, now }: RepoContext): ProcessedEventRepository {
  return {
    async claim(eventKey, source) {
      try {
        // The unique index on event_key decides, across processes: on PostgreSQL a second INSERT of
        // the same key waits for the first one's transaction and then fails.
        await db.sql.query('INSERT INTO processed_events (event_key, source, received_at) VALUES (?, ?, ?)', [eventKey, source, stamp(now())]);
        return true;
      } catch (e) {
        if (isUniqueViolation(e)) return false;
        throw e;
      }
    },
  };
}
