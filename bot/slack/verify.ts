import type http from 'node:http';

/** Slack's replay window: a signed request older (or newer) than this is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * The header checks that need no body: both signature headers present, the signature in Slack's v0
 * form, and a timestamp within five minutes of our clock in either direction (Bolt itself only refuses
 * old ones). Bolt then checks the HMAC over the body. Returns the problem, or undefined.
 */
export function checkSlackHeaders(headers: http.IncomingHttpHeaders, nowMs: number): string | undefined {
  const ts = headers['x-slack-request-timestamp'];
  const sig = headers['x-slack-signature'];
  if (typeof ts !== 'string' || typeof sig !== 'string') return 'missing signature headers';
  if (!/^\d{1,12}$/.test(ts)) return 'malformed timestamp';
  if (!/^v0=[0-9a-f]{64}$/.test(sig)) return 'malformed signature';
  if (Math.abs(Math.floor(nowMs / 1000) - Number(ts)) > MAX_SKEW_SECONDS) return 'stale timestamp';
  return undefined;
}
