import type { webApi } from '@slack/bolt';
import type { Reply } from '../../domain/conversation/reply';
import type { ChannelPoster, ChartRenderer, PostTarget } from '../../domain/conversation/outbound';
import type { Logger } from '../../domain/logger';
import { blockKitProblems, describeChart, renderReply, type SlackUpload } from './blockKit';

type WebClient = webApi.WebClient;

export interface SlackSenderOptions {
  client: WebClient;
  logger: Logger;
  /** Draws charts as PNG; without it charts are described in text. */
  chartRenderer?: ChartRenderer;
}

export interface SendTarget {
  /** A channel id (C…, D…, G…). */
  channel: string;
  threadTs?: string;
}

/**
 * Sends replies to a Slack channel: each reply's messages in order (chat.postMessage), then its files
 * (files.uploadV2: getUploadURLExternal, the upload, completeUploadExternal) in the same thread.
 */
export function createSlackSender(opts: SlackSenderOptions) {
  const { client, logger } = opts;

  async function upload(u: SlackUpload, channel: string, threadTs: string | undefined): Promise<void> {
    let file: Buffer;
    if (u.kind === 'csv') file = Buffer.from(u.content, 'utf8');
    else {
      try {
        file = Buffer.from(await opts.chartRenderer!(u.chart));
      } catch (e) {
        // A chart that cannot be drawn is still worth reading: describe it instead.
        logger.warn({ err: (e as Error).message, chart: u.title }, 'slack: chart rendering failed, describing it in text');
        await client.chat.postMessage({ channel, thread_ts: threadTs, text: u.title, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: describeChart(u.chart) } }] });
        return;
      }
    }
    await client.filesUploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      file,
      filename: u.filename,
      title: u.title,
      ...(u.kind === 'chart' ? { alt_text: u.title } : {}),
    } as Parameters<WebClient['filesUploadV2']>[0]);
  }

  /** Posts the replies; returns the channel id Slack reports (a '#name' target resolves to it). */
  async function send(target: SendTarget, replies: Reply[]): Promise<void> {
    for (const r of replies) {
      const rendered = renderReply(r, { charts: Boolean(opts.chartRenderer) });
      let channel = target.channel;
      for (const m of rendered.messages) {
        const problems = blockKitProblems(m);
        // A renderer bug must not lose the answer: Slack would refuse the blocks, so send the text.
        if (problems.length) logger.error({ problems }, 'slack: rendered blocks break a limit; sending text only');
        const res = await client.chat.postMessage({
          channel,
          thread_ts: target.threadTs,
          text: m.text,
          ...(problems.length ? {} : { blocks: m.blocks }),
          unfurl_links: false,
          unfurl_media: false,
        } as Parameters<WebClient['chat']['postMessage']>[0]);
        if (typeof res.channel === 'string') channel = res.channel;
      }
      for (const u of rendered.uploads) await upload(u, channel, target.threadTs);
    }
  }

  return { send };
}

export type SlackSender = ReturnType<typeof createSlackSender>;

/**
 * The ChannelPoster for digests and other proactive posts: a channel id, or '#name' looked up with
 * conversations.list (cached; the bot must be a member to post there).
 */
export function createSlackPoster(client: WebClient, sender: SlackSender, logger: Logger): ChannelPoster {
  const ids = new Map<string, string>();

  async function resolve(id: string): Promise<string> {
    if (!id.startsWith('#')) return id;
    const name = id.slice(1).toLowerCase();
    const cached = ids.get(name);
    if (cached) return cached;
    let cursor: string | undefined;
    do {
      const page = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, cursor });
      for (const c of page.channels ?? []) if (c.name && c.id) ids.set(c.name.toLowerCase(), c.id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor && !ids.has(name));
    const found = ids.get(name);
    if (!found) throw new Error(`Slack channel ${id} not found (invite the bot to it, or use the channel id)`);
    return found;
  }

  return {
    platform: 'slack',
    async post(target: PostTarget, replies: Reply[]): Promise<void> {
      const channel = await resolve(target.id);
      await sender.send({ channel, threadTs: target.threadId }, replies);
      logger.info({ channel: target.name ?? target.id, replies: replies.length }, 'slack: posted');
    },
  };
}
