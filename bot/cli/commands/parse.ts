import type { Command } from 'commander';
import { UserError } from '../../../domain/errors';
import { isValidTimeZone } from '../../../domain/clock';
import { loadConfig } from '../../config';

/**
 * `waybill parse`: a message -> its frame (nlu.md), with the offline parser. No database: the
 * parser is pure and loaded on demand, so `parse --batch` over thousands of messages starts fast.
 */
interface ParseOpts {
  now?: string;
  tz?: string;
  jsonLines?: boolean;
  batch?: boolean;
}

type ParseFn = typeof import('../../../domain/nlu/parser').parse;

function parseNow(value: string, what: string): Date {
  const t = Date.parse(value);
  if (value.trim() === '' || Number.isNaN(t)) throw new UserError(`${what} "${value}" is not an ISO 8601 instant, e.g. 2026-03-18T09:30:00Z`, 2);
  return new Date(t);
}

function frameLine(frame: { intent: string; entities: object; confidence: number }): string {
  return JSON.stringify({ intent: frame.intent, entities: frame.entities, confidence: frame.confidence }) + '\n';
}

const UNKNOWN_LINE = frameLine({ intent: 'unknown', entities: {}, confidence: 1 });

/** One input line of --batch to its output line; a bad line is an `unknown` frame. */
function batchLine(line: string, parse: ParseFn, defaultNow: Date | undefined, timeZone: string): string {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return UNKNOWN_LINE;
  }
  let text: unknown;
  let now: Date | undefined = defaultNow;
  let tz = timeZone;
  if (typeof rec === 'string') text = rec;
  else if (rec && typeof rec === 'object' && !Array.isArray(rec)) {
    const r = rec as Record<string, unknown>;
    text = r.text;
    if (r.now !== undefined && r.now !== null) {
      if (typeof r.now !== 'string' || Number.isNaN(Date.parse(r.now))) return UNKNOWN_LINE;
      now = new Date(Date.parse(r.now));
    }
    const lineTz = r.tz ?? r.timeZone;
    if (lineTz !== undefined && lineTz !== null) {
      if (typeof lineTz !== 'string' || !isValidTimeZone(lineTz)) return UNKNOWN_LINE;
      tz = lineTz;
    }
  }
  if (typeof text !== 'string') return UNKNOWN_LINE;
  return frameLine(parse(text, { now: now ?? new Date(), timeZone: tz }));
}

async function runBatch(parse: ParseFn, defaultNow: Date | undefined, timeZone: string): Promise<void> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = process.stdout;
  let buffer = '';
  // Blank lines are answered only when a message follows them (a trailing blank line is not a message).
  let pendingBlank = 0;
  const flush = async () => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  for await (const line of rl) {
    if (line.trim() === '') {
      pendingBlank++;
      continue;
    }
    for (; pendingBlank > 0; pendingBlank--) buffer += UNKNOWN_LINE;
    buffer += batchLine(line, parse, defaultNow, timeZone);
    if (buffer.length >= 64 * 1024) await flush();
  }
  await flush();
}

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('Read a chat message as a frame: its intent and entities (the offline parser of nlu.md).')
    .argument('[text...]', 'the message (quote it: waybill parse "where is order 10042?")')
    .option('--now <iso>', 'the reference instant for relative dates (default: WAYBILL_NOW, else the real now)')
    .option('--tz <zone>', 'the business time zone, an IANA name (default: WAYBILL_TZ, else UTC)')
    .option('--json-lines', 'print each frame as one compact JSON line (the default)')
    .option('--batch', 'read JSON lines {"text":..., "now":...} on stdin and write one frame per line, in order')
    .addHelpText('after', '\nOutput: {"intent":...,"entities":{...},"confidence":...} on stdout.\nExample: waybill parse --now 2026-03-18T09:30:00Z "where is order 10042?"')
    .action(async (words: string[], o: ParseOpts) => {
      const config = loadConfig();
      const now = o.now !== undefined ? parseNow(o.now, '--now') : config.now;
      const timeZone = o.tz ?? config.timeZone;
      if (o.tz !== undefined && (o.tz.trim() === '' || !isValidTimeZone(o.tz))) {
        throw new UserError(`--tz "${o.tz}" is not an IANA time zone, e.g. Europe/Berlin`, 2);
      }
      const text = words.join(' ');
      if (o.batch && text !== '') throw new UserError('give either a message or --batch (JSON lines on stdin), not both', 2);
      if (!o.batch && text === '') throw new UserError('give the message to parse: waybill parse "where is order 10042?" (or --batch to read JSON lines on stdin)', 2);
      // Loaded on demand: nothing else of the application is needed to parse.
      const { parse } = await import('../../../domain/nlu/parser');
      if (o.batch) {
        await runBatch(parse, now, timeZone);
        return;
      }
      process.stdout.write(frameLine(parse(text, { now: now ?? new Date(), timeZone })));
    });
}
