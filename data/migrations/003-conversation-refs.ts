import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Where the bot can post without being asked: the platform's conversation reference (Teams: the
 * serviceUrl, tenant, conversation and bot ids that a proactive message needs), one row per
 * conversation, refreshed on every message from it. Digests and long-running answers read it.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('conversation_refs', {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    platform: { type: DataTypes.STRING(16), allowNull: false },
    // Teams conversation ids run to ~150 characters (personal chats "a:1…", channel threads "19:…;messageid=…").
    conversation_id: { type: DataTypes.STRING(500), allowNull: false },
    // JSON text: opaque to everyone but the channel adapter that wrote it.
    reference: { type: DataTypes.TEXT, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  // One reference per conversation: concurrent saves from two replicas upsert the same row.
  await qi.addIndex('conversation_refs', ['platform', 'conversation_id'], { unique: true, name: 'conversation_refs_conversation_uq' });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('conversation_refs');
}
