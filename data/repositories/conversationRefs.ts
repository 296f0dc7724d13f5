import type { ConversationRefRepository } from '../../domain/repositories';
import { stamp, type RepoContext } from './support';

export function createConversationRefRepository({ db, now }: RepoContext): ConversationRefRepository {
  const { sql } = db;
  return {
    async save(platform, conversationId, ref) {
      // An upsert on the unique (platform, conversation_id): two replicas saving at once both succeed, the last wins.
      await sql.query(
        `INSERT INTO conversation_refs (platform, conversation_id, reference, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, conversation_id) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`,
        [platform, conversationId, JSON.stringify(ref ?? null), stamp(now())],
      );
    },

    async get(platform, conversationId) {
      const [row] = await sql.query<{ reference: string }>(
        'SELECT reference FROM conversation_refs WHERE platform = ? AND conversation_id = ?',
        [platform, conversationId],
      );
      return row ? (JSON.parse(row.reference) as unknown) : null;
    },
  };
}
