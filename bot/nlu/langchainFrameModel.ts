import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage, type AIMessage } from '@langchain/core/messages';
import type { FrameModel, FrameModelContext } from '../../domain/nlu/recognizer';
import { nluMessages } from '../../prompts/nlu/template';
import { FRAME_TOOL_NAME, FrameToolSchema } from '../../prompts/nlu/toolSchema';

/**
 * The `FrameModel` port over LangChain's `ChatOpenAI`: any OpenAI-compatible chat-completions server
 * (OpenAI, Azure-style gateways, Ollama, vLLM, LM Studio...).
 *
 * Structured output by tool calling (`withStructuredOutput(..., { method: 'functionCalling' })`): the model
 * is forced (`tool_choice`) to call `record_frame` whose parameters are the JSON schema of the zod
 * `FrameToolSchema`. Tool calling is what OpenAI-compatible servers support most widely, and unlike
 * `jsonSchema` (`response_format`, strict mode) it does not require every optional entity to be present.
 * `includeRaw` keeps the raw message: the arguments go back as they were (the recognizer validates them
 * with `FrameSchema`), and a broken answer is reported instead of thrown away silently.
 *
 * One call, no retries (`maxRetries: 0` for LangChain's caller; the OpenAI client gets 0 from LangChain):
 * a retry would blow the time budget and the offline frame is the fallback. `timeout` bounds the HTTP
 * request and an `AbortSignal` the whole call.
 */
export interface LangChainFrameModelOptions {
  /** Model name, e.g. gpt-4o-mini, or llama3.1:8b on Ollama. */
  model: string;
  /** OpenAI API key; with only a base URL a placeholder is sent (local servers ignore it). */
  apiKey?: string;
  /** An OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (Ollama). */
  baseURL?: string;
  timeoutMs: number;
  /** Upper bound of the answer's length (a frame is small). */
  maxTokens?: number;
}

/** A failed model call, its message scrubbed of credentials. */
export class FrameModelError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'FrameModelError';
  }
}

/** Placeholder key for servers that need none (Ollama, vLLM): the SDK insists on some key. */
export const PLACEHOLDER_API_KEY = 'not-needed';

/** Reasoning models take no temperature. */
function acceptsTemperature(model: string): boolean {
  return !/^o\d/.test(model) && !(model.startsWith('gpt-5') && !model.startsWith('gpt-5-chat'));
}

/** A message with the key and anything that looks like a secret removed; one short line. */
export function scrub(message: string, secrets: (string | undefined)[]): string {
  let s = message.split(/\n\s*Troubleshooting URL:/)[0].replace(/\s+/g, ' ').trim();
  for (const secret of secrets) if (secret && secret.length >= 4) s = s.split(secret).join('[redacted]');
  return s
    .replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{6,}/g, '[redacted]')
    .replace(/(bearer\s+)[^\s"',]+/gi, '$1[redacted]')
    .replace(/(api[_-]?key["'=:\s]+)[^\s"',]+/gi, '$1[redacted]')
    .slice(0, 300);
}

function errorStatus(e: unknown): number | undefined {
  const rec = e as { status?: unknown; response?: { status?: unknown }; lc_error_code?: unknown };
  if (typeof rec?.status === 'number') return rec.status;
  if (typeof rec?.response?.status === 'number') return rec.response.status;
  return undefined;
}

function isAbort(e: unknown): boolean {
  const err = e as { name?: unknown; message?: unknown };
  const text = `${String(err?.name ?? '')} ${String(err?.message ?? '')}`;
  return /abort|timed? ?out|timeout/i.test(text);
}

/** A JSON object in a text answer (servers that ignore `tool_choice` and answer in the content). */
function jsonInContent(content: unknown): unknown {
  if (typeof content !== 'string') return undefined;
  const s = content.trim().replace(/^```(?:json)?\s*/i, '').replace(/```$/, '').trim();
  if (!s.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(s) as Record<string, unknown>;
    // `{"name": "record_frame", "arguments": {...}}` as some local models write a tool call in text
    if (v && typeof v === 'object' && v.name === FRAME_TOOL_NAME) return v.arguments ?? v.parameters;
    return v;
  } catch {
    return undefined;
  }
}

/**
 * LangChain's AIMessage warns on stderr "New LangChain packages are available ... please upgrade" whenever
 * every tool call of an answer had invalid JSON arguments. The packages are current and the recognizer
 * logs that case itself, so exactly that warning is dropped; every other warning passes through.
 */
const LANGCHAIN_UPGRADE_NOISE = 'New LangChain packages are available';
let noiseFiltered = false;
function filterLangChainNoise(): void {
  if (noiseFiltered) return;
  noiseFiltered = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(LANGCHAIN_UPGRADE_NOISE)) return;
    warn(...args);
  };
}

export function createLangChainFrameModel(options: LangChainFrameModelOptions): FrameModel {
  filterLangChainNoise();
  const { model, baseURL, timeoutMs } = options;
  const apiKey = options.apiKey || PLACEHOLDER_API_KEY;
  const chat = new ChatOpenAI({
    model,
    apiKey,
    configuration: baseURL ? { baseURL } : {},
    timeout: timeoutMs,
    maxRetries: 0,
    maxTokens: options.maxTokens ?? 600,
    ...(acceptsTemperature(model) ? { temperature: 0 } : {}),
  });
  const structured = chat.withStructuredOutput(FrameToolSchema, { method: 'functionCalling', name: FRAME_TOOL_NAME, includeRaw: true });

  return {
    async propose(text: string, context: FrameModelContext): Promise<unknown> {
      const messages = nluMessages(text, context).map((m) => (m.role === 'system' ? new SystemMessage(m.content) : new HumanMessage(m.content)));
      let result: { raw: unknown; parsed: unknown };
      try {
        result = (await structured.invoke(messages, { signal: AbortSignal.timeout(timeoutMs) })) as { raw: unknown; parsed: unknown };
      } catch (e) {
        const status = errorStatus(e);
        if (status === undefined && isAbort(e)) throw new FrameModelError(`the model did not answer within ${timeoutMs} ms`, undefined, 'timeout');
        // The SDK reads a 200 that is no chat completion (an HTML page from a proxy) as one and trips over it.
        if (status === undefined && e instanceof TypeError) throw new FrameModelError('the model server answered with something that is not a chat completion', undefined, 'not_a_completion');
        const message = scrub(e instanceof Error ? e.message : String(e), [apiKey, options.apiKey]).replace(/^\d{3}\s+/, '');
        throw new FrameModelError(status !== undefined ? `the model server answered HTTP ${status}: ${message}` : message, status);
      }
      const raw = result.raw as AIMessage;
      const call = raw.tool_calls?.find((c) => c.name === FRAME_TOOL_NAME) ?? raw.tool_calls?.[0];
      if (call) return call.args;
      if (raw.invalid_tool_calls?.length) throw new FrameModelError('the model called the tool with arguments that are not valid JSON', undefined, 'invalid_tool_call');
      const fromContent = jsonInContent(raw.content);
      if (fromContent !== undefined) return fromContent;
      throw new FrameModelError(`the model did not call ${FRAME_TOOL_NAME}`, undefined, 'no_tool_call');
    },
  };
}
