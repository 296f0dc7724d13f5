import type { Inbound } from '../../domain/conversation/inbound';
import { parseButtonValue } from './blockKit';

/**
 * Slack payloads → the core's Inbound, and where the answer goes. Pure, so the rules (which
 * messages to ignore, which thread to answer in, which key makes a delivery unique) are unit-tested.
 */

/** Where replies to one inbound go: a channel, a thread in it, or (slash commands) a response_url fallback. */
export interface SlackDestination {
  channel: string;
  threadTs?: string;
  responseUrl?: string;
}

export interface SlackTurn {
  inbound: Inbound;
  to: SlackDestination;
}

/** The parts of a message event we read (app_mention or message). */
export interface MessageEventLike {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
}

/** Removes the bot's own mention (`<@U123>` or `<@U123|waybill>`); other markup is the parser's job. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  const re = new RegExp(`<@${botUserId.replace(/[^A-Za-z0-9]/g, '')}(\\|[^>]*)?>`, 'g');
  return text.replace(re, ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * A message event the bot answers, or undefined: bots (ourselves included) and subtypes (edits,
 * deletions, joins, file shares) are ignored, so the bot never talks to itself or re-answers an edit.
 * In a channel the answer starts (or continues) a thread on the message; in a direct message it stays
 * in the flow of the chat unless the person wrote in a thread, so a dialog (an order asked one
 * question at a time) reads naturally and keeps its state.
 */
export function messageTurn(event: MessageEventLike, botUserId: string | undefined): SlackTurn | undefined {
  if (event.subtype || event.bot_id || !event.user || event.user === botUserId) return undefined;
  // A payload of another shape is ignored, not a TypeError in Bolt's listener (which answers Slack with a 500).
  if (typeof event.user !== 'string' || typeof event.channel !== 'string' || typeof event.ts !== 'string') return undefined;
  const direct = event.channel_type === 'im' || event.channel.startsWith('D');
  if (event.type === 'message' && !direct) return undefined; // channel chatter without a mention is not for us
  const threadTs = direct ? event.thread_ts : event.thread_ts ?? event.ts;
  return {
    inbound: {
      speaker: { platform: 'slack', id: event.user },
      conversation: { platform: 'slack', id: event.channel, threadId: threadTs, name: direct ? `slack DM ${event.channel}` : `slack ${event.channel}` },
      text: stripBotMention(typeof event.text === 'string' ? event.text : '', botUserId),
      // The message itself (channel + ts), not the delivery: a retry carries the same message, and a
      // message that arrives both as app_mention and as message.im is still one message, acted on once.
      eventKey: `msg:${event.channel}:${event.ts}`,
    },
    to: { channel: event.channel, threadTs },
  };
}

export interface SlashCommandLike {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  trigger_id: string;
  response_url?: string;
}

/** `/waybill <text>`: answered in the channel; `/waybill` alone asks for help. */
export function commandTurn(c: SlashCommandLike, botUserId: string | undefined): SlackTurn {
  const text = stripBotMention(c.text ?? '', botUserId) || 'help';
  return {
    inbound: {
      speaker: { platform: 'slack', id: c.user_id, displayName: c.user_name },
      conversation: { platform: 'slack', id: c.channel_id, name: c.channel_name ? `slack #${c.channel_name}` : `slack ${c.channel_id}` },
      text,
      // trigger_id is unique per invocation; Slack does not retry commands, but a proxy might.
      eventKey: `cmd:${c.trigger_id}`,
    },
    to: { channel: c.channel_id, responseUrl: c.response_url },
  };
}

/** The parts of a block_actions payload we read. */
export interface BlockActionsLike {
  type: string;
  trigger_id?: string;
  user: { id: string; name?: string };
  channel?: { id: string; name?: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string };
  message?: { ts: string; thread_ts?: string };
  response_url?: string;
  actions: Array<{ action_id: string; block_id?: string; value?: string; action_ts?: string }>;
}

/** A click on one of our buttons: the action goes to the core in the same conversation and thread as the card. */
export function actionTurn(body: BlockActionsLike): SlackTurn | undefined {
  const a = body.actions[0];
  const action = parseButtonValue(a?.value);
  const channel = body.channel?.id ?? body.container?.channel_id;
  if (!a || !action || !channel) return undefined;
  const threadTs = body.message?.thread_ts ?? body.container?.thread_ts;
  return {
    inbound: {
      speaker: { platform: 'slack', id: body.user.id, displayName: body.user.name },
      conversation: { platform: 'slack', id: channel, threadId: threadTs, name: `slack ${channel}` },
      action,
      // One click is one trigger_id (action_ts as a fallback): a double click is two clicks, and the
      // core answers the second with "already done".
      eventKey: `act:${body.trigger_id ?? `${channel}:${a.action_ts}`}`,
    },
    to: { channel, threadTs, responseUrl: body.response_url },
  };
}
