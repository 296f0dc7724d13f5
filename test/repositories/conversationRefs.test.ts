import { describeEachDatabase } from '../support/databases';
import { createRepositories } from '../../data/repositories';
import { createMigrator, migrate } from '../../data/migrations';

/** Conversation references for proactive posts (migration 003), on both databases. */
describeEachDatabase('conversation references', (ctx) => {
  let now = new Date('2026-11-24T10:00:00Z');
  const repos = () => createRepositories(ctx.db, { now: () => now });
  const ref = (serviceUrl: string) => ({
    serviceUrl,
    channelId: 'msteams',
    conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel', tenantId: 't-1' },
    bot: { id: '28:bot', name: 'Waybill' },
  });

  it('saves, replaces and reads a reference per platform and conversation', async () => {
    const refs = repos().conversationRefs;
    expect(await refs.get('teams', '19:ops@thread.tacv2')).toBeNull();
    await refs.save('teams', '19:ops@thread.tacv2', ref('https://smba.example/amer/'));
    expect(await refs.get('teams', '19:ops@thread.tacv2')).toEqual(ref('https://smba.example/amer/'));
    now = new Date('2026-11-24T11:00:00Z');
    await refs.save('teams', '19:ops@thread.tacv2', ref('https://smba.example/emea/'));
    expect(await refs.get('teams', '19:ops@thread.tacv2')).toEqual(ref('https://smba.example/emea/'));
    // Same id on another platform is another conversation.
    expect(await refs.get('slack', '19:ops@thread.tacv2')).toBeNull();
    const rows = await ctx.db.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM conversation_refs');
    expect(Number(rows[0].n)).toBe(1);
  });

  it('keeps one row when two saves race', async () => {
    const refs = repos().conversationRefs;
    const id = 'a:1' + 'x'.repeat(200);
    await Promise.all([refs.save('teams', id, ref('https://a/')), refs.save('teams', id, ref('https://b/'))]);
    expect(['https://a/', 'https://b/']).toContain(((await refs.get('teams', id)) as { serviceUrl: string }).serviceUrl);
    const rows = await ctx.db.sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM conversation_refs WHERE conversation_id = ?', [id]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('migration 003 goes down and up again', async () => {
    await createMigrator(ctx.db.sequelize).down({ to: '003-conversation-refs' });
    await expect(ctx.db.sql.query('SELECT COUNT(*) AS n FROM conversation_refs')).rejects.toThrow();
    expect((await migrate(ctx.db.sequelize))[0]).toBe('003-conversation-refs');
    expect(await repos().conversationRefs.get('teams', '19:ops@thread.tacv2')).toBeNull();
  });
});
