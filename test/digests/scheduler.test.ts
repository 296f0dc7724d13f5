import { loadConfig } from '../../bot/config';
import { createApp, type App } from '../../bot/container';
import { createDigestScheduler, type DigestScheduler } from '../../bot/scheduler/digestScheduler';
import { createPosterRegistry } from '../../bot/scheduler/posters';
import { createClock, type Clock } from '../../domain/clock';
import type { ChannelPoster, PostTarget } from '../../domain/conversation/outbound';
import type { Reply } from '../../domain/conversation/reply';
import { silentLogger } from '../../domain/logger';
import type { NewSubscription } from '../../domain/repositories';
import { PG_URL, TEST_DB_TARGETS, type TestDbTarget } from '../support/databases';

/** A poster that records what it was asked to post (and can be told to fail). */
function fakePoster(platform: 'slack' | 'web' = 'slack'): ChannelPoster & { posts: Array<{ target: PostTarget; replies: Reply[] }>; fail?: string } {
  const p = {
    platform,
    posts: [] as Array<{ target: PostTarget; replies: Reply[] }>,
    fail: undefined as string | undefined,
    async post(target: PostTarget, replies: Reply[]) {
      if (p.fail) throw new Error(p.fail);
      p.posts.push({ target, replies });
    },
  };
  return p;
}

const SUB: NewSubscription = {
  report: 'kpi_digest',
  target: { platform: 'slack', id: 'C0OPS', name: '#ops-reports' },
  frequency: 'daily',
  time: '08:00',
  cron: '0 8 * * *',
  timeZone: 'UTC',
  filters: {},
  createdBy: 'test',
};

async function appOn(url: string, now: string): Promise<App> {
  return createApp(loadConfig({ DATABASE_URL: url, WAYBILL_NOW: now, WAYBILL_DEMO: 'off', LOG_LEVEL: 'silent' }), { logger: silentLogger });
}

/** `now`: a fixed instant, or a clock the test moves. */
function schedulerFor(app: App, poster: ChannelPoster, now: string | Clock, runner: string, graceMinutes = 60): DigestScheduler {
  return createDigestScheduler({
    subscriptions: app.repos.subscriptions,
    runs: app.digests.runs,
    build: (s, at) => app.digests.build(s, at),
    posters: createPosterRegistry([poster]),
    clock: typeof now === 'string' ? createClock('UTC', new Date(now)) : now,
    logger: silentLogger,
    graceMinutes,
    runner,
    reloadMs: 0,
  });
}

for (const target of TEST_DB_TARGETS) {
  describe(`digest scheduler [${target.name}]`, () => {
    let url: string;
    let app: App;
    const schedulers: DigestScheduler[] = [];
    beforeAll(async () => {
      url = target.freshUrl();
      app = await appOn(url, '2026-03-18T08:20:00Z');
    });
    afterEach(async () => {
      for (const s of schedulers.splice(0)) await s.stop();
    });
    afterAll(async () => {
      await app.close();
      await target.dispose(url);
    });

    it('at start, posts the run missed within the grace window once, and never again', async () => {
      const sub = await app.repos.subscriptions.create({ ...SUB, createdBy: 'catch-up' });
      const poster = fakePoster();
      const a = schedulerFor(app, poster, '2026-03-18T08:20:00Z', 'a');
      schedulers.push(a);
      const started = await a.start();
      expect(started.scheduled).toBeGreaterThanOrEqual(1);
      expect(started.caughtUp).toBe(1);
      expect(poster.posts).toHaveLength(1);
      expect(poster.posts[0].target).toEqual({ platform: 'slack', id: 'C0OPS', name: '#ops-reports' });
      expect(poster.posts[0].replies[0].text).toMatch(/^KPI digest, Tue 17 Mar 2026: nothing to report/);
      // A restart (or a second replica) finds the run recorded.
      const b = schedulerFor(app, poster, '2026-03-18T08:25:00Z', 'b');
      schedulers.push(b);
      expect((await b.start()).caughtUp).toBe(0);
      expect(poster.posts).toHaveLength(1);
      const runs = await app.digests.runs.list(sub.id, 10);
      expect(runs).toEqual([expect.objectContaining({ scheduledFor: '2026-03-18T08:00:00.000Z', status: 'posted', runner: 'a', error: null })]);
      await app.repos.subscriptions.deactivate(sub.id);
    });

    it('a slot nobody could claim (the database was away when it fired) is posted at the next reload, once', async () => {
      const sub = await app.repos.subscriptions.create({ ...SUB, createdBy: 'outage' });
      const poster = fakePoster();
      let now = new Date('2026-03-19T07:50:00Z');
      const clock = { now: () => now, timeZone: 'UTC', today: () => now.toISOString().slice(0, 10) };
      const s = schedulerFor(app, poster, clock, 'a');
      schedulers.push(s);
      await s.start();
      await s.reload();
      expect(poster.posts).toHaveLength(0); // 07:50: nothing due yet
      // 08:00 fired while the database was down: no digest_runs row. The database is back at 08:10.
      now = new Date('2026-03-19T08:10:00Z');
      await s.reload();
      expect(poster.posts).toHaveLength(1);
      expect(await app.digests.runs.list(sub.id, 10)).toEqual([expect.objectContaining({ scheduledFor: '2026-03-19T08:00:00.000Z', status: 'posted' })]);
      now = new Date('2026-03-19T08:11:00Z');
      await s.reload();
      expect(poster.posts).toHaveLength(1);
      // Past the grace window it is not posted (a digest two hours late is noise).
      now = new Date('2026-03-20T09:30:00Z');
      await s.reload();
      expect(poster.posts).toHaveLength(1);
      await app.repos.subscriptions.deactivate(sub.id);
    });

    it('posts nothing for a run older than the grace window', async () => {
      const sub = await app.repos.subscriptions.create({ ...SUB, createdBy: 'late' });
      const poster = fakePoster();
      const s = schedulerFor(app, poster, '2026-03-18T09:30:00Z', 'a', 60);
      schedulers.push(s);
      expect((await s.start()).caughtUp).toBe(0);
      expect(poster.posts).toHaveLength(0);
      expect(await app.digests.runs.list(sub.id, 10)).toEqual([]);
      await app.repos.subscriptions.deactivate(sub.id);
    });

    it('a slot fired twice posts once; a failing or missing channel is recorded as failed', async () => {
      const sub = await app.repos.subscriptions.create({ ...SUB, createdBy: 'fire' });
      const poster = fakePoster();
      const s = schedulerFor(app, poster, '2026-03-18T10:00:00Z', 'a', 0);
      schedulers.push(s);
      const slot = new Date('2026-03-19T08:00:00Z');
      expect(await s.fire(sub.id, slot)).toBe('posted');
      expect(await s.fire(sub.id, slot)).toBe('taken');
      expect(poster.posts).toHaveLength(1);

      poster.fail = 'channel_not_found';
      expect(await s.fire(sub.id, new Date('2026-03-20T08:00:00Z'))).toBe('failed');
      const web = await app.repos.subscriptions.create({ ...SUB, target: { platform: 'teams', id: 'conv-1' }, createdBy: 'fire' });
      expect(await s.fire(web.id, slot)).toBe('failed');
      expect((await app.digests.runs.list(sub.id, 1))[0]).toMatchObject({ status: 'failed', error: 'channel_not_found' });
      expect((await app.digests.runs.list(web.id, 1))[0]).toMatchObject({ status: 'failed', error: 'no teams channel is configured in this process' });
      await app.repos.subscriptions.deactivate(sub.id);
      await app.repos.subscriptions.deactivate(web.id);
    });

    it('schedules one task per active subscription and drops stopped ones on reload', async () => {
      const s = schedulerFor(app, fakePoster(), '2026-03-18T10:00:00Z', 'a', 0);
      schedulers.push(s);
      const x = await app.repos.subscriptions.create({ ...SUB, createdBy: 'reload' });
      await s.start();
      const before = s.size();
      await app.repos.subscriptions.deactivate(x.id);
      await s.reload();
      expect(s.size()).toBe(before - 1);
      await app.repos.subscriptions.create({ ...SUB, cron: '0 9 * * *', time: '09:00', createdBy: 'reload' });
      await s.reload();
      expect(s.size()).toBe(before);
    });
  });
}

/** Two replicas (two apps, two schedulers) on one PostgreSQL schema: each slot is posted once. */
const onPg = PG_URL ? describe : describe.skip;
if (!PG_URL) process.stderr.write('[waybill] digest exactly-once across replicas SKIPPED: set TEST_DATABASE_URL to run it on PostgreSQL.\n');
onPg('digests exactly once across two replicas [postgres]', () => {
  const pg = TEST_DB_TARGETS.find((t) => t.name === 'postgres') as TestDbTarget;
  let url: string;
  let apps: App[] = [];
  beforeAll(async () => {
    url = pg.freshUrl();
    apps = [await appOn(url, '2026-03-18T08:20:00Z')];
    apps.push(await appOn(url, '2026-03-18T08:20:00Z'));
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await pg.dispose(url);
  });

  it('the same slot fired on both posts once (and at start both catch up one missed run once)', async () => {
    const sub = await apps[0].repos.subscriptions.create(SUB);
    const poster = fakePoster();
    const [a, b] = apps.map((app, i) => schedulerFor(app, poster, '2026-03-18T08:20:00Z', `replica-${i}`));
    try {
      const started = await Promise.all([a.start(), b.start()]);
      expect(started[0].caughtUp + started[1].caughtUp).toBe(1);
      for (let day = 19; day <= 24; day++) {
        const slot = new Date(`2026-03-${day}T08:00:00Z`);
        const outcomes = await Promise.all([a.fire(sub.id, slot), b.fire(sub.id, slot)]);
        expect(outcomes.sort()).toEqual(['posted', 'taken']);
      }
      expect(poster.posts).toHaveLength(7);
      expect(await apps[0].digests.runs.list(sub.id, 100)).toHaveLength(7);
    } finally {
      await a.stop();
      await b.stop();
      await apps[0].repos.subscriptions.deactivate(sub.id);
    }
  });

  it('live node-cron fires on both replicas are coordinated through the database', async () => {
    // Every second (node-cron's six-field form), so the live path runs within the test.
    const sub = await apps[0].repos.subscriptions.create({ ...SUB, cron: '* * * * * *', createdBy: 'live' });
    const poster = fakePoster();
    const [a, b] = apps.map((app, i) => schedulerFor(app, poster, '2026-03-18T08:20:00Z', `live-${i}`, 0));
    await Promise.all([a.start(), b.start()]);
    try {
      // Wait for a few fires (no timing asserted: only that each slot posted once).
      for (let i = 0; i < 200 && poster.posts.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await a.stop();
      await b.stop();
    }
    const runs = await apps[0].digests.runs.list(sub.id, 100);
    expect(poster.posts.length).toBeGreaterThanOrEqual(3);
    expect(runs.filter((r) => r.status === 'posted')).toHaveLength(poster.posts.length);
    expect(new Set(runs.map((r) => r.scheduledFor)).size).toBe(runs.length);
  });
});
