import type http from 'node:http';
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationCore } from '../../handlers/core';
import type { Logger } from '../../domain/logger';
import type { ChartSpec, Reply } from '../../domain/conversation/reply';
import type { ChannelPoster, ChartRenderer } from '../../domain/conversation/outbound';
import type { ConversationRefRepository } from '../../domain/repositories';
import type { RequestHandler } from '../web/webChat';
import { activityToInbound, type TeamsActivity } from './activity';
import { cardAttachment, toAdaptiveCards } from './adaptiveCard';
import { readJsonBody, shimResponse } from './httpShim';
import type { TeamsConfig } from './teamsConfig';

export const TEAMS_PATH = '/api/messages';
/** Teams activities are small (files are links); 1 MB leaves room for long pasted texts and card values. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface TeamsChannelOptions {
  core: ConversationCore;
  logger: Logger;
  /** Where conversation references are kept for proactive posts (app.repos.conversationRefs). */
  refs: ConversationRefRepository;
  config: TeamsConfig;
  /** Draws charts as PNG for the cards; without it a chart is described in text. */
  chartRenderer?: ChartRenderer;
}

export interface TeamsChannel {
  /** Claims POST /api/messages on the shared server. */
  handler: RequestHandler;
  /** Posts to a Teams conversation the bot has heard from (its reference is stored). */
  poster: ChannelPoster;
  /** False when no app id is configured: anyone who can reach /api/messages can talk to the bot. */
  authEnabled: boolean;
  /** The start-up line: where Teams is served and whether requests are authenticated. */
  describe(port: number): string;
}

/** The activities that carry a reference worth keeping: messages, and the bot being added to a team or chat. */
const REFERENCE_ACTIVITIES = new Set(['message', 'conversationUpdate', 'installationUpdate']);

/**
 * The Microsoft Teams channel: botbuilder's CloudAdapter on the shared node:http server. Messages
 * and card button presses go to the conversation core; its replies come back as Adaptive Cards.
 */
export function createTeamsChannel(opts: TeamsChannelOptions): TeamsChannel {
  const { core, logger, refs, config } = opts;
  const authEnabled = Boolean(config.appId);
  // botbuilder (with its Azure dependencies, ~47 MB of memory) is loaded on first use: a deployment
  // without Teams never pays for it. With an app id configured, loading starts now, so the first
  // Teams message does not wait for it.
  let loaded: Promise<{ adapter: CloudAdapter; getReference: typeof TurnContext.getConversationReference }> | undefined;
  const botFramework = () =>
    (loaded ??= import('botbuilder').then(({ CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext }) => {
      const auth = new ConfigurationBotFrameworkAuthentication({
        ...(config.appId ? { MicrosoftAppId: config.appId } : {}),
        ...(config.appPassword ? { MicrosoftAppPassword: config.appPassword } : {}),
        ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
        MicrosoftAppType: config.appType,
      });
      const adapter = new CloudAdapter(auth);
      // The core never rejects; what gets here is a refused send (Teams down, a card it would not take).
      // Not rethrown: a 500 would make Teams retry, and the retry is a duplicate the core ignores anyway.
      adapter.onTurnError = async (context, error) => {
        logger.error({ err: error.message, conversation: context.activity.conversation?.id }, 'teams: turn failed');
      };
      return { adapter, getReference: TurnContext.getConversationReference.bind(TurnContext) };
    }));
  if (authEnabled) void botFramework().catch((e: unknown) => logger.error({ err: (e as Error).message }, 'teams: botbuilder could not be loaded'));
  else logger.warn({}, 'teams: MICROSOFT_APP_ID is not set, so /api/messages accepts unauthenticated requests (Bot Framework Emulator only)');

  /** One reply as message activities with Adaptive Cards (several when it is too big for one message). */
  async function activitiesOf(reply: Reply): Promise<Array<Partial<Activity>>> {
    const chartImages = new Map<ChartSpec, string>();
    if (opts.chartRenderer) {
      for (const part of reply.parts) {
        if (part.kind !== 'chart') continue;
        try {
          const png = await opts.chartRenderer(part.chart);
          chartImages.set(part.chart, `data:image/png;base64,${Buffer.from(png).toString('base64')}`);
        } catch (e) {
          // The card describes the chart in text instead.
          logger.warn({ err: (e as Error).message, chart: part.chart.title }, 'teams: chart could not be drawn');
        }
      }
    }
    return toAdaptiveCards(reply, { chartImages }).map((card) => ({ type: 'message', attachments: [cardAttachment(card)] }));
  }

  async function rememberConversation(activity: Activity): Promise<void> {
    const ref: Partial<ConversationReference> = (await botFramework()).getReference(activity);
    // Without activityId a proactive post is a new message in the conversation, not a reply to an old one.
    delete ref.activityId;
    try {
      await refs.save('teams', activity.conversation.id, ref);
    } catch (e) {
      logger.warn({ err: (e as Error).message }, 'teams: conversation reference not saved');
    }
  }

  async function onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (REFERENCE_ACTIVITIES.has(activity.type) && activity.conversation?.id) await rememberConversation(activity);
    const inbound = activityToInbound(activity as TeamsActivity);
    if (!inbound) return;
    const replies = await core.handle(inbound);
    for (const reply of replies) {
      await context.sendActivities(await activitiesOf(reply));
    }
  }

  const handler: RequestHandler = (req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== TEAMS_PATH) return false;
    handle(req, res).catch((e: unknown) => {
      logger.error({ err: (e as Error)?.message }, 'teams: request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    return true;
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bot Framework activities are POSTed here.\n');
      return;
    }
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    if (body.kind === 'aborted') return;
    if (body.kind !== 'ok') {
      res.writeHead(body.kind === 'too_large' ? 413 : 400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body.kind === 'too_large' ? 'Activity too large.\n' : 'The body must be a JSON activity.\n');
      return;
    }
    // Not an activity at all: a client error, not a failure of ours (botbuilder would throw, i.e. 500).
    const activity = body.body as { type?: unknown } | null;
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity) || typeof activity.type !== 'string') {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The body must be a Bot Framework activity (an object with a "type").\n');
      return;
    }
    // The adapter authenticates (401 on a missing or invalid token when an app id is set), runs the turn
    // and answers the POST once the replies are sent.
    const { adapter } = await botFramework();
    await adapter.process({ body: body.body, headers: req.headers, method: req.method }, shimResponse(res), onTurn);
  }

  const poster: ChannelPoster = {
    platform: 'teams',
    async post(target, replies) {
      const ref = (await refs.get('teams', target.id)) as Partial<ConversationReference> | null;
      if (!ref) {
        throw new Error(`Teams conversation ${target.name ?? target.id} is unknown: add the bot there or message it there first`);
      }
      const activities = (await Promise.all(replies.map(activitiesOf))).flat();
      // onTurnError would swallow a refused send; the caller (a digest run) must see it, so it is kept and rethrown.
      let failure: unknown;
      const { adapter } = await botFramework();
      await adapter.continueConversationAsync(config.appId ?? '', ref, async (context) => {
        // The turn is a synthetic "continue conversation" event with a random id, which the context would
        // make every post a reply to; a proactive post is a new message in the conversation instead.
        context.onSendActivities(async (_ctx, outgoing, next) => {
          for (const a of outgoing) delete a.replyToId;
          return next();
        });
        try {
          await context.sendActivities(activities);
        } catch (e) {
          failure = e;
        }
      });
      if (failure) throw failure;
    },
  };

  const describe = (port: number) =>
    authEnabled
      ? `Teams: POST http://localhost:${port}${TEAMS_PATH} (Microsoft app ${config.appId}, ${config.appType}; requests are authenticated)`
      : `Teams: POST http://localhost:${port}${TEAMS_PATH} with authentication OFF (no MICROSOFT_APP_ID): for the Bot Framework Emulator only`;
  return { handler, poster, authEnabled, describe };
}
