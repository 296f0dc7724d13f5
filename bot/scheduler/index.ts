import os from 'node:os';
import { UserError } from '../../domain/errors';
import type { App } from '../container';
import { createDigestScheduler, type DigestScheduler } from './digestScheduler';
import type { PosterRegistry } from './posters';

export interface DigestSettings {
  /** WAYBILL_DIGEST_GRACE_MINUTES (default 60): how late a missed run may still be posted at start. */
  graceMinutes: number;
  /** WAYBILL_DIGESTS=off: this process schedules nothing (another replica or a test does). */
  enabled: boolean;
}

/** The scheduler's own settings (kept here, next to their only reader, while config.ts is in flux). */
export function digestSettings(env: NodeJS.ProcessEnv = process.env): DigestSettings {
  const raw = env.WAYBILL_DIGEST_GRACE_MINUTES;
  const grace = raw === undefined || raw === '' ? 60 : Number(raw);
  if (!Number.isInteger(grace) || grace < 0) throw new UserError('WAYBILL_DIGEST_GRACE_MINUTES must be a whole number of minutes (0 or more)', 2);
  const flag = env.WAYBILL_DIGESTS ?? 'on';
  if (flag !== 'on' && flag !== 'off') throw new UserError('WAYBILL_DIGESTS must be on or off', 2);
  return { graceMinutes: grace, enabled: flag === 'on' };
}

/** The digest scheduler of an app, posting through the given channels; reloads subscriptions every minute. */
export function createAppScheduler(app: App, posters: PosterRegistry, opts: { graceMinutes: number; reloadMs?: number }): DigestScheduler {
  return createDigestScheduler({
    subscriptions: app.repos.subscriptions,
    runs: app.digests.runs,
    build: (sub, at) => app.digests.build(sub, at),
    posters,
    clock: app.clock,
    logger: app.logger,
    graceMinutes: opts.graceMinutes,
    runner: `${os.hostname()}:${process.pid}`,
    reloadMs: opts.reloadMs ?? 60_000,
  });
}
