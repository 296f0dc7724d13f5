import type { ConversationStateRepository } from '../../domain/repositories';
import { stamp, type RepoContext } from './support';

export function createConversationStateRepository({ db, now }: RepoContext): ConversationStateRepository {
  const { sql } = db;
  return {
    async get<T>(key: string): Promise<T | null> {
      const [row] = await sql.query<{ state: string }>('SELECT state FROM conversation_states WHERE key = ? AND expires_at > ?', [key, stamp(now())]);
      return row ? (JSON.parse(row.state) as T) : null;
    },

    async put<T>(key: string, state: T, ttlSeconds: number): Promise<void> {
      const at = now();
      const expires = new Date(at.getTime() + Math.max(0, ttlSeconds) * 1000);
      await sql.query(
        `INSERT INTO conversation_states (key, state, expires_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
        [key, JSON.stringify(state ?? null), stamp(expires), stamp(at)],
      );
    },

    async delete(key: string): Promise<void> {
      await sql.query('DELETE FROM conversation_states WHERE key = ?', [key]);
    },
  };
}
