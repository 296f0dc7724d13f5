import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../domain/logger';

/**
 * Bolt and its WebClient log through this, into our pino logger, so Slack's lines are JSON on stderr
 * like every other line (and pass the same redaction). Levels are pino's business: setLevel is ignored.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const line = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => logger.debug({ source: 'bolt' }, line(msg)),
    info: (...msg: unknown[]) => logger.info({ source: 'bolt' }, line(msg)),
    warn: (...msg: unknown[]) => logger.warn({ source: 'bolt' }, line(msg)),
    error: (...msg: unknown[]) => logger.error({ source: 'bolt' }, line(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}
