import type http from 'node:http';
import { App, HTTPReceiver, webApi, type AllMiddlewareArgs, type SlackActionMiddlewareArgs, type RespondFn } from '@slack/bolt';
import type { SlackConfig } from '../config';
import type { ConversationCore } from '../../handlers/core';
import type { Reply } from '../../domain/conversation/reply';
import type { ChannelPoster, ChartRenderer } from '../../domain/conversation/outbound';
import type { Logger } from '../../domain/logger';
import type { RequestHandler } from '../web/webChat';
import { ACTION_PREFIX, renderReply } from './blockKit';
import { boltLogger } from './boltLogger';
import { actionTurn, commandTurn, messageTurn, type BlockActionsLike, type MessageEventLike, type SlackTurn } from './inbound';
import { createSlackPoster, createSlackSender } from './poster';
import { checkSlackHeaders } from './verify';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackChannelOptions {
  config: SlackConfig;
  core: ConversationCore;
  logger: Logger;
  /** Draws charts as PNG for uploads; without it charts are described in text. */
  chartRenderer?: ChartRenderer;
}

export interface SlackChannel {
  readonly mode: 'http' | 'socket';
  /** Claims POST /slack/events of the shared server (HTTP mode; in Socket Mode it says so with a 404). */
  readonly handler: RequestHandler;
  /** Proactive posts (digests) to a channel id or '#name'. */
  readonly poster: ChannelPoster;
  /** Checks the token (auth.test) and, in Socket Mode, connects. Rejects when Slack refuses the token. */
  start(): Promise<{ botUserId?: string; team?: string }>;
  /** Disconnects (Socket Mode) and waits for the answers under way. */
  stop(): Promise<void>;
}

type WebClient = webApi.WebClient;

/**
 * The Slack channel on Bolt. HTTP mode uses Bolt's HTTPReceiver without its own server: the shared
 * node:http server hands it /slack/events, Bolt verifies the signature and parses events, commands
 * and interactivity, and (processBeforeResponse off) answers Slack at once, so the core's work, which
 * may take seconds, happens after the 200 and never trips Slack's 3-second retry.
 */
export function createSlackChannel(opts: SlackChannelOptions): SlackChannel {
  const { config, core, logger } = opts;
  const mode: 'http' | 'socket' = config.appToken ? 'socket' : 'http';
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    // The default retries for half an hour; an answer that late is worse than a logged failure.
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
  };
  const blogger = boltLogger(logger);
  const receiver =
    mode === 'http'
      ? new HTTPReceiver({ signingSecret: config.signingSecret ?? '', endpoints: [SLACK_EVENTS_PATH], processBeforeResponse: false, logger: blogger })
      : undefined;
  const app = new App({
    token: config.botToken,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken }),
    clientOptions,
    logger: blogger,
    // auth.test runs in start(), where a bad token fails `npm start` with a clear message.
    deferInitialization: true,
  });
  const client: WebClient = app.client;
  const sender = createSlackSender({ client, logger, chartRenderer: opts.chartRenderer });
  const poster = createSlackPoster(client, sender, logger);
  let botUserId: string | undefined;
  let started = false;
  const inFlight = new Set<Promise<void>>();

  /** Runs after the ack: the core, then the answer. Failures are logged; Slack already has its 200. */
  function track(work: Promise<void>): Promise<void> {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  }

  async function answer(turn: SlackTurn, respond?: RespondFn): Promise<Reply[]> {
    const replies = await core.handle(turn.inbound);
    let delivered = false;
    try {
      // Nothing to send for a duplicate delivery: whoever claimed the event first answered it.
      if (replies.length) await deliver(turn, replies, respond);
      delivered = true;
    } finally {
      // One line per inbound once its answer is out (or failed): operators (and tests) see every
      // delivery, duplicates included, without a timer.
      logger.info(
        { eventKey: turn.inbound.eventKey, channel: turn.to.channel, kind: turn.inbound.action ? 'action' : 'text', replies: replies.length, delivered },
        'slack: handled',
      );
    }
    return replies;
  }

  async function deliver(turn: SlackTurn, replies: Reply[], respond?: RespondFn): Promise<void> {
    try {
      await sender.send({ channel: turn.to.channel, threadTs: turn.to.threadTs }, replies);
    } catch (e) {
      const code = (e as { data?: { error?: string } }).data?.error;
      // Slash commands work in channels the bot is not in; there the response_url still reaches the person.
      if (!respond || (code !== 'not_in_channel' && code !== 'channel_not_found')) throw e;
      for (const r of replies) {
        for (const m of renderReply(r, { charts: false }).messages) {
          await respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks as never });
        }
      }
      await respond({ response_type: 'ephemeral', text: 'Invite me to this channel (/invite @Waybill) to get answers everyone can see, with files and charts.' });
    }
  }

  function run(label: string, work: () => Promise<unknown>): Promise<void> {
    return track(
      work().then(
        () => undefined,
        (e: unknown) => logger.error({ err: (e as Error)?.message, code: (e as { data?: { error?: string } }).data?.error }, `slack: ${label} failed`),
      ),
    );
  }

  const onMessage = async ({ event }: { event: unknown }) => {
    const turn = messageTurn(event as MessageEventLike, botUserId);
    if (turn) await run('message', () => answer(turn));
  };
  app.event('app_mention', onMessage);
  app.event('message', onMessage);

  app.command('/waybill', async ({ command, ack, respond }) => {
    await ack();
    await run('command', () => answer(commandTurn(command, botUserId), respond));
  });

  app.action(new RegExp(`^${ACTION_PREFIX}`), async (args: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await args.ack();
    const body = args.body as unknown as BlockActionsLike & { message?: { ts: string; blocks?: unknown[]; text?: string } };
    if (body.type !== 'block_actions') return;
    const turn = actionTurn(body);
    if (!turn) return;
    await run('button', async () => {
      const replies = await answer(turn);
      // The clicked group becomes a note of who chose what, so the same card cannot be confirmed twice by
      // accident; other groups (the other findings of an audit) keep their buttons. Not after a refusal
      // (the card is still there for someone allowed to use it) nor after an error such as the database
      // being unavailable (nothing was carried out, so the same button must work when tried again).
      const keepButtons = replies[0]?.tone === 'refusal' || replies[0]?.tone === 'error';
      if (replies.length && !keepButtons && body.message?.blocks) await markClicked(body);
    });
  });

  async function markClicked(body: BlockActionsLike & { message?: { ts: string; blocks?: unknown[]; text?: string } }): Promise<void> {
    const a = body.actions[0];
    const label = (a as { text?: { text?: string } }).text?.text ?? 'a button';
    const blocks = (body.message!.blocks as Array<{ block_id?: string }>).map((b) =>
      b.block_id === a.block_id ? { type: 'context', elements: [{ type: 'mrkdwn', text: `<@${body.user.id}> chose *${label}*` }] } : b,
    );
    await client.chat.update({ channel: turn0(body), ts: body.message!.ts, text: body.message!.text ?? label, blocks } as Parameters<WebClient['chat']['update']>[0]);
  }
  const turn0 = (body: BlockActionsLike) => body.channel?.id ?? body.container?.channel_id ?? '';

  app.error(async (e) => {
    logger.error({ err: e.message, code: (e as { code?: string }).code }, 'slack: Bolt error');
  });

  const handler: RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== SLACK_EVENTS_PATH) return false;
    const refuse = (status: number, text: string, headers: Record<string, string> = {}) => {
      req.resume(); // drain the body; nothing of it is read
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(`${text}\n`);
    };
    if (!receiver) return refuse(404, 'Slack runs in Socket Mode here; /slack/events is not used.'), true;
    if (req.method !== 'POST') return refuse(405, 'Use POST.', { allow: 'POST' }), true;
    if (!started) return refuse(503, 'Slack is starting.'), true;
    // Bolt verifies the signature; refuse the obviously unsigned and the replayed (timestamp off by
    // more than five minutes either way) before any body is read.
    const problem = checkSlackHeaders(req.headers, Date.now());
    if (problem) {
      logger.warn({ problem }, 'slack: request refused');
      return refuse(401, 'Unauthorized.'), true;
    }
    try {
      receiver.requestListener(req, res);
    } catch (e) {
      logger.error({ err: (e as Error).message }, 'slack: request failed');
      if (!res.headersSent) refuse(500, 'Internal error.');
    }
    return true;
  };

  return {
    mode,
    handler,
    poster,
    async start() {
      await app.init(); // auth.test: a bad token stops here
      const auth = await client.auth.test();
      botUserId = typeof auth.user_id === 'string' ? auth.user_id : undefined;
      if (mode === 'socket') await app.start();
      started = true;
      return { botUserId, team: typeof auth.team === 'string' ? auth.team : undefined };
    },
    async stop() {
      started = false;
      if (mode === 'socket') await app.stop().catch(() => undefined);
      await Promise.allSettled([...inFlight]);
    },
  };
}
