import { slackMode, type SlackConfig } from '../config';
import type { ConversationCore } from '../../handlers/core';
import type { ChartRenderer } from '../../domain/conversation/outbound';
import type { Logger } from '../../domain/logger';
import { UserError } from '../../domain/errors';
import { createSlackChannel, SLACK_EVENTS_PATH, type SlackChannel } from './slackChannel';

export interface SlackStart {
  /** The running channel, or undefined when Slack is not (fully) configured. */
  channel?: SlackChannel;
  /** One line for the start-up banner: the mode, or how to connect. */
  describe(port: number): string;
}

/**
 * `npm start`'s Slack step: starts the channel when the configuration allows it, and otherwise says
 * what is missing; never fails a start that has no Slack configured. A token Slack refuses does fail
 * it, with the reason: a bot that silently never answers is worse.
 */
export async function startSlack(
  config: SlackConfig | undefined,
  deps: { core: ConversationCore; logger: Logger; chartRenderer?: ChartRenderer },
): Promise<SlackStart> {
  const mode = slackMode(config);
  if (!config) {
    return {
      describe: () =>
        'Slack: not connected. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode); see README, Connecting Slack.',
    };
  }
  if (!mode) {
    return {
      describe: () => 'Slack: SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP) nor SLACK_APP_TOKEN (Socket Mode), so Slack is off.',
    };
  }
  const channel = createSlackChannel({ config, core: deps.core, logger: deps.logger, chartRenderer: deps.chartRenderer });
  let who: { botUserId?: string; team?: string };
  try {
    who = await channel.start();
  } catch (e) {
    const code = (e as { data?: { error?: string } }).data?.error;
    throw new UserError(`Slack refused to start (${code ?? (e as Error).message}); check SLACK_BOT_TOKEN${mode === 'socket' ? ' and SLACK_APP_TOKEN' : ''}`, 1);
  }
  const as = `as ${who.botUserId ?? 'the bot'}${who.team ? ` in ${who.team}` : ''}`;
  return {
    channel,
    describe: (port) =>
      mode === 'socket'
        ? `Slack: Socket Mode, connected ${as}.`
        : `Slack: HTTP mode ${as}; Events API, interactivity and /waybill at http://localhost:${port}${SLACK_EVENTS_PATH} (signed requests only).`,
  };
}
