import type { ChartSpec, Reply } from './reply';
import type { Platform } from './inbound';

/** Where a proactive post goes (a digest, a late answer): a platform and its conversation id. */
export interface PostTarget {
  platform: Platform;
  /** Slack channel id or "#name", Teams conversation id, web chat session. */
  id: string;
  /** Thread to post in, when there is one. */
  threadId?: string;
  name?: string;
}

/**
 * A channel that can post without being asked (Slack chat.postMessage, Teams proactive messages,
 * the web chat's inbox). Each channel adapter implements it; digests and long answers use it.
 */
export interface ChannelPoster {
  readonly platform: Platform;
  /** Posts the replies to the target; rejects when the platform refused them. */
  post(target: PostTarget, replies: Reply[]): Promise<void>;
}

/** Draws a chart as a PNG (for platforms that cannot draw SVG themselves). */
export type ChartRenderer = (chart: ChartSpec) => Promise<Uint8Array>;
