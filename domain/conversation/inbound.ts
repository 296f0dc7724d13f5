import type { ButtonAction } from './reply';

/** The channels a message can arrive on. */
export const PLATFORMS = ['console', 'web', 'slack', 'teams'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who is talking, as the platform knows them. */
export interface Speaker {
  platform: Platform;
  /** The platform's user id (Slack U…, Teams AAD id, a local handle for console/web). */
  id: string;
  displayName?: string;
}

/** Where the conversation happens: replies go back here, dialog state is kept per conversation. */
export interface ConversationRef {
  platform: Platform;
  /** Channel / chat / session id. */
  id: string;
  /** Thread inside the conversation, when the platform has threads. */
  threadId?: string;
  /** A readable name for the log ("#ops-reports", "console"). */
  name?: string;
}

/** One thing a person did: a message, or a button press. */
export interface Inbound {
  speaker: Speaker;
  conversation: ConversationRef;
  text?: string;
  action?: ButtonAction;
  /**
   * The platform's id for this delivery (Slack event_id, Teams activity id). A retried or duplicated
   * delivery carries the same key and is acted on once.
   */
  eventKey?: string;
}
