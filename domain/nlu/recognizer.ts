/**
 * The recognizer: the one way the rest of the application turns a message into a frame (nlu.md).
 *
 * - `offline`: the offline parser only (pure, fast, deterministic).
 * - `llm`: a language model proposes the frame; the offline frame is the fallback.
 * - `hybrid`: the offline parser first; the model is asked only when the offline parser is unsure.
 *
 * Whatever the model answers is untrusted data: it is validated with `FrameSchema` and brought to the
 * contract's normal forms by the same `normalizeFrame` as every other frame. A model that fails (error,
 * timeout, invalid answer) never fails the message: the offline frame is returned and a warning logged.
 * The model only ever yields a frame; nothing it says is executed or interpolated anywhere.
 */
import { calendarDate } from '../clock';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { parseYmd, weekday as weekdayOf } from './calendar';
import { FrameSchema, normalizeFrame } from './frameSchema';
import { MAX_INPUT_CHARS, isJunk, toPlainText } from './markup';
import { parse } from './parser';
import type { Frame, ParseOptions } from './types';

export const NLU_MODES = ['offline', 'llm', 'hybrid'] as const;
export type NluMode = (typeof NLU_MODES)[number];

export type FrameSource = 'offline' | 'llm';
export type RecognizedFrame = Frame & { source: FrameSource };

/** What a model is told besides the message: the reference instant, spelled out for it. */
export interface FrameModelContext extends ParseOptions {
  /** Today's calendar date (YYYY-MM-DD) in `timeZone`. */
  today: string;
  /** Today's English weekday name ("Wednesday"). */
  weekday: string;
}

/** The port to a language model: proposes a frame for a message. The answer is raw, untrusted output. */
export interface FrameModel {
  propose(text: string, context: FrameModelContext): Promise<unknown>;
}

export interface Recognizer {
  readonly mode: NluMode;
  /** Never rejects: any failure of the model falls back to the offline frame. */
  recognize(text: string, opts: ParseOptions): Promise<RecognizedFrame>;
}

/**
 * Hybrid thresholds, chosen on test/nlu/dev-set.jsonl (514 held-out messages, offline intent accuracy
 * 99.2%): every offline frame with confidence >= 0.8 (known intent) or >= 0.9 (`unknown`) had the right
 * intent; the 24 messages under them (4.7%) hold all 4 intent errors. At 0.6 the model would see 1 message
 * (0.2%) and fix at most 1 of the 4.
 */
export const DEFAULT_LOW_CONFIDENCE = 0.8;
/** An `unknown` frame under this means some intent nearly matched: worth asking the model. */
export const DEFAULT_UNKNOWN_BELOW = 0.9;
/** The confidence reported for a model's frame (models give no calibrated figure of their own). */
export const MODEL_FRAME_CONFIDENCE = 0.9;

export interface RecognizerOptions {
  mode: NluMode;
  /** Required for `llm` and `hybrid`. */
  model?: FrameModel;
  logger?: Logger;
  /** hybrid: ask the model when the offline confidence is below this. */
  lowConfidence?: number;
  /** hybrid: also ask the model for an `unknown` offline frame below this confidence. */
  unknownBelow?: number;
  /** Stop waiting for the model after this many ms (a safety net over the model's own timeout). */
  timeoutMs?: number;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The context a model gets for a reference instant and time zone. */
export function modelContext(opts: ParseOptions): FrameModelContext {
  const today = calendarDate(opts.now, opts.timeZone);
  return { now: opts.now, timeZone: opts.timeZone, today, weekday: WEEKDAYS[weekdayOf(parseYmd(today))] };
}

/** True when hybrid mode asks the model about this offline frame. */
export function needsModel(offline: Frame, lowConfidence = DEFAULT_LOW_CONFIDENCE, unknownBelow = DEFAULT_UNKNOWN_BELOW): boolean {
  if (offline.confidence < lowConfidence) return true;
  return offline.intent === 'unknown' && offline.confidence < unknownBelow;
}

export type ModelAnswer = { ok: true; frame: Frame } | { ok: false; issues: string[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `null` and "" mean "not stated" (the contract omits such entities); drop them before validating. */
function dropEmpty(v: unknown, depth = 0): unknown {
  if (depth > 4) return v;
  if (Array.isArray(v)) return v.map((x) => dropEmpty(x, depth + 1));
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined || (typeof x === 'string' && x.trim() === '')) continue;
    out[k] = dropEmpty(x, depth + 1);
  }
  return out;
}

/**
 * A model's raw answer -> a frame of the contract, or the reasons it is not one. The answer must be
 * `{intent, entities}` valid under `FrameSchema`; unknown keys are dropped by the schema, entities of
 * another intent by `normalizeFrame`. Issues name paths and rules only, never the values.
 */
export function frameFromModel(raw: unknown): ModelAnswer {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, issues: ['the answer is not JSON'] };
    }
  }
  if (!isRecord(value)) return { ok: false, issues: ['the answer is not an object'] };
  const cleaned: Record<string, unknown> = {
    intent: typeof value.intent === 'string' ? value.intent.trim().toLowerCase() : value.intent,
    entities: dropEmpty(value.entities ?? {}),
  };
  const parsed = FrameSchema.safeParse(cleaned);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  }
  return { ok: true, frame: normalizeFrame(parsed.data) };
}

/** The error of a failed model call as a log object: its kind and a short message, nothing else. */
function describeError(e: unknown): Record<string, unknown> {
  if (e instanceof Error) {
    const rec = e as Error & { status?: unknown; code?: unknown };
    const out: Record<string, unknown> = { name: rec.name, message: String(rec.message).slice(0, 300) };
    if (typeof rec.status === 'number') out.status = rec.status;
    if (typeof rec.code === 'string') out.code = rec.code;
    return out;
  }
  return { message: String(e).slice(0, 300) };
}

class DeadlineError extends Error {
  constructor(ms: number) {
    super(`the model did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

function withDeadline<T>(p: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(ms)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** The text a model reads: markup undone (nlu.md "Fine points"), runs of blanks collapsed. */
export function textForModel(text: string): string {
  return toPlainText(text)
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

export function createRecognizer(options: RecognizerOptions): Recognizer {
  const { mode, model } = options;
  const logger = options.logger ?? silentLogger;
  const lowConfidence = options.lowConfidence ?? DEFAULT_LOW_CONFIDENCE;
  const unknownBelow = Math.max(options.unknownBelow ?? DEFAULT_UNKNOWN_BELOW, lowConfidence);
  if (!(NLU_MODES as readonly string[]).includes(mode)) throw new Error(`unknown NLU mode "${String(mode)}"`);
  if (mode !== 'offline' && !model) throw new Error(`NLU mode "${mode}" needs a model`);

  async function askModel(text: string, opts: ParseOptions, offline: Frame): Promise<RecognizedFrame> {
    const fallback: RecognizedFrame = { ...offline, source: 'offline' };
    // Nothing a person could mean: not worth a model call (and not sent anywhere).
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_INPUT_CHARS || isJunk(text)) return fallback;
    const plain = textForModel(text);
    if (plain === '') return fallback;
    const started = Date.now();
    let raw: unknown;
    try {
      raw = await withDeadline(model!.propose(plain, modelContext(opts)), options.timeoutMs);
    } catch (e) {
      logger.warn(
        { nlu: { mode, fallback: 'offline', intent: offline.intent, ms: Date.now() - started }, err: describeError(e) },
        'nlu: the language model failed; using the offline frame',
      );
      return fallback;
    }
    const answer = frameFromModel(raw);
    if (!answer.ok) {
      logger.warn(
        { nlu: { mode, fallback: 'offline', intent: offline.intent, ms: Date.now() - started }, issues: answer.issues },
        'nlu: the language model answered with an invalid frame; using the offline frame',
      );
      return fallback;
    }
    logger.debug({ nlu: { mode, offline: offline.intent, llm: answer.frame.intent, ms: Date.now() - started } }, 'nlu: frame from the language model');
    return { ...answer.frame, confidence: MODEL_FRAME_CONFIDENCE, source: 'llm' };
  }

  return {
    mode,
    async recognize(text, opts) {
      const offline = parse(text, opts);
      if (mode === 'offline' || (mode === 'hybrid' && !needsModel(offline, lowConfidence, unknownBelow))) return { ...offline, source: 'offline' };
      try {
        return await askModel(text, opts, offline);
      } catch (e) {
        // a bug of ours must not lose the message either
        logger.warn({ err: describeError(e) }, 'nlu: recognizer error; using the offline frame');
        return { ...offline, source: 'offline' };
      }
    },
  };
}
