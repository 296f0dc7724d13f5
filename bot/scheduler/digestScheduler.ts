import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Clock } from '../../domain/clock';
import type { Reply } from '../../domain/conversation/reply';
import type { DigestRunRepository } from '../../domain/digests/runs';
import type { Logger } from '../../domain/logger';
import type { Subscription, SubscriptionRepository } from '../../domain/repositories';
import type { PosterRegistry } from './posters';
import { dueSlot } from './slots';

export interface DigestSchedulerDeps {
  subscriptions: SubscriptionRepository;
  runs: DigestRunRepository;
  /** Builds the digest of a subscription for a run instant (handlers/digestContent.ts). */
  build(sub: Subscription, at: Date): Promise<Reply>;
  posters: PosterRegistry;
  clock: Clock;
  logger: Logger;
  /**
   * How late a missed run may still be posted: at start (every replica was down) and at each reload
   * (the slot fired while the database was away, so nobody could claim it).
   */
  graceMinutes: number;
  /** Who claims runs (host:pid), recorded in digest_runs.runner. */
  runner: string;
  /** How often to pick up added, changed or stopped subscriptions (0: never; tests call reload()). */
  reloadMs?: number;
}

export type FireOutcome = 'posted' | 'taken' | 'failed' | 'inactive';

export interface DigestScheduler {
  /** Schedules every active subscription and posts the runs missed within the grace window. */
  start(): Promise<{ scheduled: number; caughtUp: number }>;
  /** Picks up subscription changes and posts unclaimed slots within the grace window (also done every reloadMs). */
  reload(): Promise<void>;
  /** One slot of one subscription: claim it in the database, and post only if this process won. */
  fire(subscriptionId: number, slot: Date): Promise<FireOutcome>;
  /** How many subscriptions have a live task. */
  size(): number;
  stop(): Promise<void>;
}

const TASK_PREFIX = 'digest-';

/**
 * One node-cron task per active subscription, in the subscription's time zone. Exactly once across
 * replicas: node-cron's run-coordinator hook asks the database before every fire — claiming the
 * digest_runs row (subscription, slot) — and the unique index lets one replica win. (node-cron's
 * default coordinator is an environment flag naming one runner, which is no coordination at all.)
 */
export function createDigestScheduler(deps: DigestSchedulerDeps): DigestScheduler {
  const { logger } = deps;
  const tasks = new Map<number, { task: ScheduledTask; signature: string }>();
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  /** Posts a run this process has claimed, and records how it went. */
  async function deliver(subscriptionId: number, slot: Date): Promise<FireOutcome> {
    const log = { subscription: subscriptionId, slot: slot.toISOString() };
    let sub: Subscription | undefined;
    try {
      sub = (await deps.subscriptions.get(subscriptionId)) ?? undefined;
      if (!sub || !sub.active) throw new Error('the subscription was stopped');
      const poster = deps.posters.get(sub.target.platform);
      if (!poster) throw new Error(`no ${sub.target.platform} channel is configured in this process`);
      const digest = await deps.build(sub, slot);
      await poster.post({ platform: sub.target.platform, id: sub.target.id, name: sub.target.name }, [digest]);
      await deps.runs.finish(subscriptionId, slot, { status: 'posted' });
      logger.info({ ...log, target: `${sub.target.platform}:${sub.target.id}` }, 'digest posted');
      return 'posted';
    } catch (e) {
      const error = (e as Error).message;
      await deps.runs.finish(subscriptionId, slot, { status: 'failed', error }).catch(() => undefined);
      logger.warn({ ...log, err: error }, 'digest not posted');
      return sub && !sub.active ? 'inactive' : 'failed';
    }
  }

  async function fire(subscriptionId: number, slot: Date): Promise<FireOutcome> {
    if (!(await deps.runs.claim(subscriptionId, slot, deps.runner))) return 'taken';
    return deliver(subscriptionId, slot);
  }

  // node-cron calls shouldRun with `${name}:${slot ISO}` before each fire; the task then delivers.
  // A claim that fails (the database is away) is a slot not won, with a warning in our log: thrown, it
  // would make node-cron print its own non-JSON error line for every fire until the database is back.
  const coordinator: RunCoordinator = {
    async shouldRun(key) {
      const sep = key.indexOf(':');
      const id = Number(key.slice(TASK_PREFIX.length, sep));
      try {
        return await deps.runs.claim(id, new Date(key.slice(sep + 1)), deps.runner);
      } catch (e) {
        logger.warn({ subscription: id, err: (e as Error).message }, 'could not claim a digest run');
        return false;
      }
    },
  };

  const signatureOf = (s: Subscription) => `${s.cron}|${s.timeZone}`;

  function schedule(s: Subscription): void {
    const task = cron.createTask(s.cron, (ctx) => track(deliver(s.id, ctx.date)), {
      name: `${TASK_PREFIX}${s.id}`,
      timezone: s.timeZone,
      distributed: true,
      runCoordinator: coordinator,
      // Missed fires are the catch-up's business (with its grace window), not a warning per task.
      suppressMissedWarning: true,
      unref: true,
    });
    void task.start();
    tasks.set(s.id, { task, signature: signatureOf(s) });
  }

  function unschedule(id: number): void {
    const t = tasks.get(id);
    if (t) void t.task.destroy();
    tasks.delete(id);
  }

  /** Posts the latest slot of each given subscription when it is within the grace window and unclaimed. */
  async function catchUp(subs: Subscription[], onlyAfterCreation: boolean, skipRecorded = false): Promise<number> {
    const now = deps.clock.now();
    let posted = 0;
    for (const s of subs) {
      let slot: Date | null;
      try {
        slot = dueSlot(s.cron, s.timeZone, now, deps.graceMinutes, onlyAfterCreation ? new Date(s.createdAt) : undefined);
      } catch (e) {
        logger.warn({ subscription: s.id, err: (e as Error).message }, 'bad schedule');
        continue;
      }
      if (!slot) continue;
      // On the periodic pass, a read first: nearly always the slot is recorded, and a refused INSERT per
      // subscription per minute would fill PostgreSQL's log with unique-violation errors.
      if (skipRecorded) {
        const [last] = await deps.runs.list(s.id, 1);
        if (last && new Date(last.scheduledFor).getTime() >= slot.getTime()) continue;
      }
      if ((await track(fire(s.id, slot))) === 'posted') posted++;
    }
    return posted;
  }

  async function sync(): Promise<{ subs: Subscription[]; added: Subscription[] }> {
    const subs = await deps.subscriptions.list();
    const active = new Map(subs.map((s) => [s.id, s]));
    for (const id of [...tasks.keys()]) if (!active.has(id)) unschedule(id);
    const added: Subscription[] = [];
    for (const s of subs) {
      const existing = tasks.get(s.id);
      if (existing && existing.signature === signatureOf(s)) continue;
      unschedule(s.id);
      try {
        schedule(s);
        if (!existing) added.push(s);
      } catch (e) {
        logger.warn({ subscription: s.id, cron: s.cron, err: (e as Error).message }, 'cannot schedule digest');
      }
    }
    return { subs, added };
  }

  return {
    async start() {
      await sync();
      const caughtUp = await catchUp(await deps.subscriptions.list(), false);
      if (deps.reloadMs) {
        timer = setInterval(() => {
          if (!stopped) void this.reload().catch((e) => logger.warn({ err: (e as Error).message }, 'digest reload failed'));
        }, deps.reloadMs);
        timer.unref();
      }
      return { scheduled: tasks.size, caughtUp };
    },
    async reload() {
      const { subs } = await sync();
      // A subscription created since the last reload may have had a slot in between; a slot that fired
      // while the database was away was claimed by nobody. Either is posted now, once (the claim decides).
      await catchUp(subs, true, true);
    },
    fire: (id, slot) => track(fire(id, slot)),
    size: () => tasks.size,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      for (const id of [...tasks.keys()]) unschedule(id);
      await Promise.allSettled([...inFlight]);
    },
  };
}
