import { describeEachDatabase } from '../support/databases';
import { createRepositories } from '../../data/repositories';
import type { NewSubscription } from '../../domain/repositories';

/** Subscriptions, people, the action log, idempotency keys and conversation state. */
describeEachDatabase('record repositories', (ctx) => {
  let now = new Date('2026-03-18T09:30:00Z');
  const repos = () => createRepositories(ctx.db, { now: () => now });

  describe('subscriptions', () => {
    const sub = (over: Partial<NewSubscription> = {}): NewSubscription => ({
      report: 'kpi_digest',
      target: { platform: 'slack', id: 'C024BE91L', name: '#ops-reports' },
      frequency: 'weekly',
      dayOfWeek: 'monday',
      time: '08:00',
      cron: '0 8 * * 1',
      timeZone: 'America/Chicago',
      filters: { carrier: 'DHL', customer: undefined },
      createdBy: 'slack:U1',
      ...over,
    });

    it('creates, lists (oldest first, by target / creator), gets and deactivates', async () => {
      const a = await repos().subscriptions.create(sub());
      expect(a).toEqual({
        id: expect.any(Number), active: true, createdAt: '2026-03-18T09:30:00.000Z',
        report: 'kpi_digest', target: { platform: 'slack', id: 'C024BE91L', name: '#ops-reports' }, frequency: 'weekly',
        dayOfWeek: 'monday', time: '08:00', cron: '0 8 * * 1', timeZone: 'America/Chicago', filters: { carrier: 'DHL' }, createdBy: 'slack:U1',
      });
      now = new Date('2026-03-18T09:31:00Z');
      const b = await repos().subscriptions.create(
        sub({ report: 'exceptions', target: { platform: 'teams', id: '19:abc@thread' }, frequency: 'monthly', dayOfWeek: undefined, dayOfMonth: 1, cron: '0 8 1 * *', filters: {}, createdBy: 'teams:X' }),
      );
      expect(b.target).toEqual({ platform: 'teams', id: '19:abc@thread' });
      expect(b.dayOfMonth).toBe(1);
      expect(b.dayOfWeek).toBeUndefined();
      expect((await repos().subscriptions.list()).map((s) => s.id)).toEqual([a.id, b.id]);
      expect((await repos().subscriptions.list({ target: { platform: 'slack', id: 'C024BE91L' } })).map((s) => s.id)).toEqual([a.id]);
      expect((await repos().subscriptions.list({ createdBy: 'teams:X' })).map((s) => s.id)).toEqual([b.id]);
      expect(await repos().subscriptions.get(b.id)).toEqual(b);
      expect(await repos().subscriptions.get(99999)).toBeNull();

      expect(await repos().subscriptions.deactivate(a.id)).toBe(true);
      expect(await repos().subscriptions.deactivate(a.id)).toBe(false);
      expect(await repos().subscriptions.deactivate(99999)).toBe(false);
      expect((await repos().subscriptions.list()).map((s) => s.id)).toEqual([b.id]);
      const all = await repos().subscriptions.list({ includeInactive: true });
      expect(all.map((s) => [s.id, s.active])).toEqual([[a.id, false], [b.id, true]]);
    });

    it('with a request key (a Confirm\'s token), creating again, even at once, returns the first', async () => {
      const before = (await repos().subscriptions.list({ includeInactive: true })).length;
      const [x, y] = await Promise.all([1, 2].map(() => repos().subscriptions.create(sub({ createdBy: 'slack:UKEY' }), { requestKey: 'tok-sched-1' })));
      expect(x.id).toBe(y.id);
      expect([x.created, y.created].sort()).toEqual([false, true]);
      const z = await repos().subscriptions.create(sub({ createdBy: 'slack:UKEY' }), { requestKey: 'tok-sched-1' });
      expect(z).toMatchObject({ id: x.id, created: false });
      expect((await repos().subscriptions.list({ includeInactive: true })).length).toBe(before + 1);
    });
  });

  describe('users', () => {
    it('adds people, changes their role, finds them by platform id or by handle (local first)', async () => {
      const dana = await repos().users.upsert({ platform: 'slack', externalId: 'U024BE7LH', displayName: 'Dana', role: 'ops' });
      expect(dana).toEqual({ id: expect.any(Number), platform: 'slack', externalId: 'U024BE7LH', displayName: 'Dana', role: 'ops' });
      const promoted = await repos().users.upsert({ platform: 'slack', externalId: 'U024BE7LH', role: 'admin' });
      expect(promoted).toEqual({ ...dana, role: 'admin' });
      const local = await repos().users.upsert({ platform: 'local', externalId: 'dana', role: 'finance' });

      expect(await repos().users.findByExternal('slack', 'U024BE7LH')).toEqual(promoted);
      expect(await repos().users.findByExternal('teams', 'U024BE7LH')).toBeNull();
      expect(await repos().users.findByExternal('slack', 'u024be7lh')).toBeNull();
      // "dana" is the local handle and the Slack display name: local first
      expect(await repos().users.findByHandle('DANA')).toEqual(local);
      expect(await repos().users.findByHandle('u024be7lh')).toEqual(promoted);
      expect(await repos().users.findByHandle('@U024BE7LH')).toEqual(promoted);
      expect(await repos().users.findByHandle('nobody')).toBeNull();

      expect((await repos().users.list()).map((p) => `${p.platform}:${p.externalId}:${p.role}`)).toEqual(['local:dana:finance', 'slack:U024BE7LH:admin']);
      expect(await repos().users.remove('Dana')).toBe(1);
      expect(await repos().users.findByHandle('dana')).toEqual(promoted);
      expect(await repos().users.remove('U024BE7LH')).toBe(1);
      expect(await repos().users.remove('U024BE7LH')).toBe(0);
      expect(await repos().users.list()).toEqual([]);
    });
  });

  describe('action log', () => {
    it('records entries and lists them newest first, by actor, result and time', async () => {
      const log = repos().actionLog;
      const base = { role: 'ops' as const, platform: 'slack' as const, channel: '#ops', frame: { intent: 'create_order', entities: { customer: 'Acme' } } };
      await log.record({ ...base, at: new Date('2026-03-18T09:00:00Z'), actor: 'slack:U1 (Dana)', action: 'create_order', result: 'ok', detail: 'ORD-10001' });
      await log.record({ ...base, at: new Date('2026-03-18T09:05:00Z'), actor: 'slack:U2 (Lee)', role: null, action: 'cancel_order', result: 'refused', channel: null });
      await log.record({ ...base, at: new Date('2026-03-18T09:10:00Z'), actor: 'console:operator', platform: 'console', action: 'confirm', result: 'duplicate', frame: undefined });
      expect(await log.count()).toBe(3);

      const all = await log.list({ limit: 10 });
      expect(all.map((e) => e.action)).toEqual(['confirm', 'cancel_order', 'create_order']);
      expect(all[2]).toEqual({
        id: expect.any(Number), at: new Date('2026-03-18T09:00:00Z'), actor: 'slack:U1 (Dana)', role: 'ops', platform: 'slack', channel: '#ops',
        action: 'create_order', frame: { intent: 'create_order', entities: { customer: 'Acme' } }, result: 'ok', detail: 'ORD-10001',
      });
      expect(all[1]).toMatchObject({ role: null, channel: null });
      expect(all[1].detail).toBeUndefined();
      expect(all[0].frame).toBeNull();

      expect((await log.list({ limit: 2 })).map((e) => e.action)).toEqual(['confirm', 'cancel_order']);
      expect((await log.list({ limit: 10, actor: 'dana' })).map((e) => e.action)).toEqual(['create_order']);
      expect((await log.list({ limit: 10, actor: 'slack:U2 (Lee)' })).map((e) => e.action)).toEqual(['cancel_order']);
      expect((await log.list({ limit: 10, actor: '100%' }))).toEqual([]);
      expect((await log.list({ limit: 10, result: 'refused' })).map((e) => e.action)).toEqual(['cancel_order']);
      expect((await log.list({ limit: 10, since: new Date('2026-03-18T09:05:00Z') })).map((e) => e.action)).toEqual(['confirm', 'cancel_order']);
    });
  });

  describe('processed events', () => {
    it('claims a key once', async () => {
      expect(await repos().processedEvents.claim('slack:Ev01', 'slack')).toBe(true);
      expect(await repos().processedEvents.claim('slack:Ev01', 'slack')).toBe(false);
      expect(await repos().processedEvents.claim('slack:Ev02', 'slack')).toBe(true);
    });

    it('five parallel claims of one key: exactly one wins', async () => {
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => repos().processedEvents.claim('teams:act-77', 'teams')));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('five parallel claims from separate connections (processes): exactly one wins', async () => {
      const { openDatabase } = await import('../../data/db');
      const { projectRoot } = await import('../../bot/projectRoot');
      const dbs = await Promise.all([1, 2, 3, 4, 5].map(() => openDatabase({ url: ctx.url, projectRoot: projectRoot() })));
      try {
        const results = await Promise.all(dbs.map((db) => createRepositories(db).processedEvents.claim('slack:Ev-multi', 'slack')));
        expect(results.filter(Boolean)).toHaveLength(1);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
    });
  });

  describe('conversation state', () => {
    it('puts (replacing), gets until it expires, deletes', async () => {
      now = new Date('2026-03-18T10:00:00Z');
      const state = repos().conversationState;
      expect(await state.get('slack:C1:T1')).toBeNull();
      await state.put('slack:C1:T1', { step: 'confirm', draft: { customer: 'Acme', items: [{ quantity: 2, unit: 'pallet' }] } }, 600);
      expect(await state.get('slack:C1:T1')).toEqual({ step: 'confirm', draft: { customer: 'Acme', items: [{ quantity: 2, unit: 'pallet' }] } });
      await state.put('slack:C1:T1', { step: 'ask_destination' }, 600);
      expect(await state.get('slack:C1:T1')).toEqual({ step: 'ask_destination' });
      await state.put('web:S9', ['a', 1], 60);

      now = new Date('2026-03-18T10:09:59Z');
      expect(await state.get('slack:C1:T1')).toEqual({ step: 'ask_destination' });
      expect(await state.get('web:S9')).toBeNull();
      now = new Date('2026-03-18T10:10:00Z');
      expect(await state.get('slack:C1:T1')).toBeNull();

      // Putting again revives it.
      await state.put('slack:C1:T1', { step: 'again' }, 600);
      expect(await state.get('slack:C1:T1')).toEqual({ step: 'again' });
      await state.delete('slack:C1:T1');
      expect(await state.get('slack:C1:T1')).toBeNull();
      await state.delete('never-there');
    });
  });
});
