import { UserError } from '../../domain/errors';
import type { Logger } from '../../domain/logger';
import { NLU_MODES, createRecognizer, type NluMode, type Recognizer } from '../../domain/nlu/recognizer';
import { nluModelConfigured, type NluConfig } from '../config';

/**
 * The recognizer the configuration asks for (WAYBILL_NLU, OPENAI_*). LangChain is loaded only when a model
 * is used: offline mode starts as fast as the offline parser alone.
 */
export interface NluRecognizerOptions {
  /** Overrides WAYBILL_NLU (e.g. `waybill parse --nlu llm`). */
  mode?: NluMode;
  logger?: Logger;
}

/** The mode in force: the override, else WAYBILL_NLU, else hybrid with a model configured, else offline. */
export function nluMode(nlu: NluConfig, override?: string): NluMode {
  const mode = override ?? nlu.mode;
  if (mode === undefined) return nluModelConfigured(nlu) ? 'hybrid' : 'offline';
  if (!(NLU_MODES as readonly string[]).includes(mode)) throw new UserError(`--nlu "${mode}" is not one of ${NLU_MODES.join(', ')}`, 2);
  if (mode !== 'offline' && !nluModelConfigured(nlu)) {
    throw new UserError(
      `NLU mode "${mode}" needs a language model: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (an OpenAI-compatible server such as Ollama), or use WAYBILL_NLU=offline`,
      2,
    );
  }
  return mode as NluMode;
}

/** A base URL fit for a log line: no user info, no query. */
function safeUrl(url: string | undefined): string {
  if (!url) return 'https://api.openai.com/v1';
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export async function createRecognizerFromConfig(nlu: NluConfig, opts: NluRecognizerOptions = {}): Promise<Recognizer> {
  const mode = nluMode(nlu, opts.mode);
  if (mode === 'offline') return createRecognizer({ mode, logger: opts.logger });
  const { createLangChainFrameModel } = await import('./langchainFrameModel');
  const model = createLangChainFrameModel({ model: nlu.model, apiKey: nlu.apiKey, baseURL: nlu.baseURL, timeoutMs: nlu.timeoutMs });
  opts.logger?.debug({ nlu: { mode, model: nlu.model, baseURL: safeUrl(nlu.baseURL), timeoutMs: nlu.timeoutMs } }, 'nlu: language model configured');
  return createRecognizer({
    mode,
    model,
    logger: opts.logger,
    lowConfidence: nlu.lowConfidence,
    // a safety net a little beyond the model's own timeout
    timeoutMs: nlu.timeoutMs + 500,
  });
}
