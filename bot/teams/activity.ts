import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Inbound } from '../../domain/conversation/inbound';

/**
 * Teams activities as the conversation core's Inbound. Pure, so the mapping is tested without HTTP.
 * Only the fields used here are typed: the rest of the activity is the adapter's business.
 */
export interface TeamsActivity {
  type?: string;
  id?: string;
  text?: string;
  value?: unknown;
  from?: { id?: string; name?: string; aadObjectId?: string };
  conversation?: { id?: string; name?: string; conversationType?: string };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The message as plain text: `<at>…</at>` mentions (the bot's own, in a channel) removed, and the simple
 * HTML Teams sends for formatted messages (<p>, <br>, <b>, entities) reduced to its text.
 */
export function messageText(raw: string): string {
  return raw
    .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** What one of our Action.Submit buttons sends back (adaptiveCard.ts puts exactly this in `data`). */
const submitValue = z.object({ id: z.string().min(1).max(100), value: z.string().max(1000) });

/**
 * The database's idempotency key for an activity: its id, scoped by conversation (activity ids are
 * only unique within one). Teams conversation ids can be long, so a long pair is hashed to fit.
 */
export function eventKeyOf(conversationId: string, activityId: string): string {
  const key = `${conversationId}:${activityId}`;
  return key.length <= 150 ? key : `h:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * The Inbound for a message activity (text, or a card button's value), or undefined when there is
 * nothing for the core (another activity type, an empty message after removing mentions).
 */
export function activityToInbound(a: TeamsActivity): Inbound | undefined {
  if (a.type !== 'message' || !a.conversation?.id || !a.from?.id) return undefined;
  const speaker = { platform: 'teams' as const, id: a.from.aadObjectId || a.from.id, ...(a.from.name ? { displayName: a.from.name } : {}) };
  const conversation = { platform: 'teams' as const, id: a.conversation.id, ...(a.conversation.name ? { name: a.conversation.name } : {}) };
  const eventKey = a.id ? eventKeyOf(a.conversation.id, a.id) : undefined;
  const action = submitValue.safeParse(a.value);
  if (action.success) return { speaker, conversation, action: { id: action.data.id, value: action.data.value }, eventKey };
  const text = messageText(a.text ?? '');
  if (!text) return undefined;
  return { speaker, conversation, text, eventKey };
}
