import pino from 'pino';

/** Paths whose values never reach a log line (tokens, passwords, signatures). */
export const REDACT_PATHS = [
  'password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization',
  'headers["x-slack-signature"]', 'secret', '*.secret', 'apiKey', '*.apiKey',
];

/** Logs go to stderr: stdout carries results only (cli.md). */
export function createLogger(level = 'info') {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination(2));
}
