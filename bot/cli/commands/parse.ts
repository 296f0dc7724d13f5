import type { Command } from 'commander';
import { UserError } from '../../../domain/errors';
import { isValidTimeZone } from '../../../domain/clock';
import { loadConfig } from '../../config';

/**
 * `waybill parse`: a message -> its frame (nlu.md), through the recognizer: the offline parser, and a
 * language model when one is configured (WAYBILL_NLU, OPENAI_*; `--nlu` overrides). No database: the
 * parser is pure and loaded on demand, and LangChain only when a model is used, so `parse --batch` over
 * thousands of messages starts fast.
 */
interface ParseOpts {
  now?: string;
  tz?: string;
  jsonLines?: boolean;
  batch?: boolean;
  nlu?: string;
}

type Recognizer = import('../../../domain/nlu/recognizer').Recognizer;
type RecognizedFrame = import('../../../domain/nlu/recognizer').RecognizedFrame;

/** Messages in flight at once in --batch with a model (answers are still written in input order). */
const MODEL_CONCURRENCY = 4;

function parseNow(value: string, what: string): Date {
  const t = Date.parse(value);
  if (value.trim() === '' || Number.isNaN(t)) throw new UserError(`${what} "${value}" is not an ISO 8601 instant, e.g. 2026-03-18T09:30:00Z`, 2);
  return new Date(t);
}

/** The frame as printed; `source` (offline or llm) only when a model may answer. */
function frameLine(frame: { intent: string; entities: object; confidence: number; source?: string }, withSource: boolean): string {
  const out: Record<string, unknown> = { intent: frame.intent, entities: frame.entities, confidence: frame.confidence };
  if (withSource) out.source = frame.source ?? 'offline';
  return JSON.stringify(out) + '\n';
}

const UNKNOWN_FRAME = { intent: 'unknown', entities: {}, confidence: 1, source: 'offline' };

/** One input line of --batch to its output line; a bad line is an `unknown` frame. */
function batchLine(line: string, recognizer: Recognizer, UNKNOWN_LINE: string, defaultNow: Date | undefined, timeZone: string): string | Promise<string> {
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
  return recognizer.recognize(text, { now: now ?? new Date(), timeZone: tz }).then(
    (frame: RecognizedFrame) => frameLine(frame, recognizer.mode !== 'offline'),
    () => UNKNOWN_LINE,
  );
}

async function runBatch(recognizer: Recognizer, defaultNow: Date | undefined, timeZone: string): Promise<void> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = process.stdout;
  const unknownLine = frameLine(UNKNOWN_FRAME, recognizer.mode !== 'offline');
  // Answers in input order; with a model up to MODEL_CONCURRENCY messages are in flight at once.
  // Offline frames are ready at once: a wide window only saves an await per line.
  const window = recognizer.mode === 'offline' ? 256 : MODEL_CONCURRENCY;
  const pending: (string | Promise<string>)[] = [];
  let buffer = '';
  // Blank lines are answered only when a message follows them (a trailing blank line is not a message).
  let pendingBlank = 0;
  const flush = async () => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  const drain = async (keep: number) => {
    while (pending.length > keep) {
      buffer += await pending.shift()!;
      if (buffer.length >= 64 * 1024) await flush();
    }
  };
  for await (const line of rl) {
    if (line.trim() === '') {
      pendingBlank++;
      continue;
    }
    for (; pendingBlank > 0; pendingBlank--) pending.push(unknownLine);
    pending.push(batchLine(line, recognizer, unknownLine, defaultNow, timeZone));
    await drain(window - 1);
  }
  await drain(0);
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
    .option('--nlu <mode>', 'offline, llm or hybrid (default: WAYBILL_NLU, else hybrid when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline)')
    .addHelpText(
      'after',
      '\nOutput: {"intent":...,"entities":{...},"confidence":...} on stdout, plus "source" (offline or llm) when a language model is configured.\n' +
        'Example: waybill parse --now 2026-03-18T09:30:00Z "where is order 10042?"',
    )
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
      // Loaded on demand: nothing else of the application is needed to parse (LangChain only with a model).
      const { createRecognizerFromConfig, nluMode } = await import('../../nlu/createRecognizer');
      const mode = nluMode(config.nlu, o.nlu);
      let logger: import('../../../domain/logger').Logger | undefined;
      if (mode !== 'offline') {
        const { createLogger } = await import('../../logger');
        // The CLI only logs warnings and errors unless LOG_LEVEL says otherwise: stdout is for results.
        logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
      }
      const recognizer = await createRecognizerFromConfig(config.nlu, { mode, logger });
      if (o.batch) {
        await runBatch(recognizer, now, timeZone);
        return;
      }
      const frame = await recognizer.recognize(text, { now: now ?? new Date(), timeZone });
      process.stdout.write(frameLine(frame, mode !== 'offline'));
    });
}
