import type { Inbound } from '../domain/conversation/inbound';
import type { Reply } from '../domain/conversation/reply';

/**
 * The conversation core: every channel adapter hands it what a person did and renders what comes
 * back. Platform-neutral; one instance serves every channel and conversation.
 */
export interface ConversationCore {
  /**
   * Understands the message (or button press), checks the person's role, runs the handler and logs
   * the action. Resolves to the replies to show, in order; an empty list when the inbound was a
   * duplicate delivery (same eventKey) that was already acted on. Never rejects: failures become a
   * clear error reply.
   */
  handle(inbound: Inbound): Promise<Reply[]>;
}
