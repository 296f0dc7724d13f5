import type { ChannelPoster } from '../../domain/conversation/outbound';
import type { Reply } from '../../domain/conversation/reply';
import type { ConversationStateRepository } from '../../domain/repositories';
import type { Logger } from '../../domain/logger';
import { sendJson } from './api';
import type { RequestHandler } from './webChat';

/**
 * Digests for the web chat: a web target is a browser session, which no server can push to, so the
 * poster leaves the replies in a per-session inbox in the shared database (conversation_states, so
 * any replica's page request can collect them) and the page polls GET /api/inbox. Collected replies
 * are removed; uncollected ones expire after a week.
 */
const INBOX_TTL_SECONDS = 7 * 24 * 3600;
const MAX_WAITING = 50;
const inboxKey = (session: string) => `web-inbox:${session}`;

export function createWebPoster(state: ConversationStateRepository): ChannelPoster {
  return {
    platform: 'web',
    async post(target, replies) {
      // Read-modify-write: a digest run is posted by one replica only, so two writers to one session
      // at the same instant would take two digests due at the same minute for the same tab.
      const waiting = (await state.get<Reply[]>(inboxKey(target.id))) ?? [];
      await state.put(inboxKey(target.id), [...waiting, ...replies].slice(-MAX_WAITING), INBOX_TTL_SECONDS);
    },
  };
}

/** GET /api/inbox?session=ID → { replies: [...] } (what was posted to that session since the last call). */
export function createWebInbox(opts: { state: ConversationStateRepository; logger: Logger }): RequestHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/inbox') return false;
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: 'method_not_allowed', message: 'Use GET.' }, { allow: 'GET' });
      return true;
    }
    const session = url.searchParams.get('session') ?? '';
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(session)) {
      sendJson(res, 400, { error: 'bad_request', message: 'session must be the id of a web chat session.' });
      return true;
    }
    (async () => {
      const key = inboxKey(session);
      const replies = (await opts.state.get<Reply[]>(key)) ?? [];
      if (replies.length) await opts.state.delete(key);
      sendJson(res, 200, { replies });
    })().catch((e: unknown) => {
      opts.logger.error({ err: (e as Error)?.message }, 'web inbox: request failed');
      sendJson(res, 500, { error: 'internal', message: 'The request failed.' });
    });
    return true;
  };
}
