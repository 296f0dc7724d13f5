import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config';
import type { App, CreateAppOptions } from '../container';
import { isYmd } from '../../domain/dates';

/** Opens the app for one command, runs it, and always closes the database. */
export async function withApp<T>(fn: (app: App) => Promise<T>, opts: CreateAppOptions = {}): Promise<T> {
  const config = loadConfig();
  // Loaded on demand: commands that need no database (help, parse) start without Sequelize.
  const { createApp } = await import('../container');
  const { createLogger } = await import('../logger');
  // The CLI only logs warnings and errors unless LOG_LEVEL says otherwise: stdout is for results.
  const logger = opts.logger ?? createLogger(process.env.LOG_LEVEL ?? 'warn');
  const app = await createApp(config, { ...opts, logger });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

export function ymdArg(value: string): string {
  if (!isYmd(value)) throw new InvalidArgumentError(`"${value}" is not a date in YYYY-MM-DD form.`);
  return value;
}

export function numberArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number.`);
  return n;
}

export function positiveIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive whole number.`);
  return n;
}

/** Writes the result to stdout (the only thing that goes there). */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/** A plain text table for people. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (/^-?[\d,.]+%?$/.test(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
