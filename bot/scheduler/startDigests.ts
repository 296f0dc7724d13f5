import type { ChannelPoster } from '../../domain/conversation/outbound';
import type { App } from '../container';
import { createWebPoster } from '../web/inbox';
import { createAppScheduler, digestSettings } from './index';
import type { DigestScheduler } from './digestScheduler';
import { createPosterRegistry } from './posters';

export interface StartedDigests {
  scheduler?: DigestScheduler;
  /** One line for the start-up banner. */
  describe(): string;
  stop(): Promise<void>;
}

/**
 * `npm start`'s digests: schedules every active subscription, posts what was missed within the grace
 * window, and posts through the web chat inbox plus whichever channels this process runs (pass their
 * posters: Slack's and Teams' `channel.poster`).
 */
export async function startDigests(app: App, channelPosters: Array<ChannelPoster | undefined>): Promise<StartedDigests> {
  const settings = digestSettings();
  if (!settings.enabled) return { describe: () => 'Digests: off (WAYBILL_DIGESTS=off).', stop: async () => undefined };
  const posters = createPosterRegistry([createWebPoster(app.repos.conversationState), ...channelPosters]);
  const scheduler = createAppScheduler(app, posters, { graceMinutes: settings.graceMinutes });
  const { scheduled, caughtUp } = await scheduler.start();
  return {
    scheduler,
    describe: () =>
      `Digests: ${scheduled} scheduled (posting to ${[...posters.keys()].join(', ')})` +
      `${caughtUp ? `; ${caughtUp} missed within ${settings.graceMinutes} min posted now` : ''}.`,
    stop: () => scheduler.stop(),
  };
}
