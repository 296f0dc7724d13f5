import { loadConfig } from '../../../bot/config';
import { createRecognizerFromConfig, nluMode } from '../../../bot/nlu/createRecognizer';
import { UserError } from '../../../domain/errors';

/** WAYBILL_NLU / OPENAI_* -> the recognizer's mode and model settings. */
const KEY = 'sk-test-config-0123456789abcdef';

describe('NLU configuration', () => {
  it('defaults: offline without a model, hybrid with a key or a base URL', () => {
    expect(nluMode(loadConfig({}).nlu)).toBe('offline');
    expect(nluMode(loadConfig({ OPENAI_API_KEY: KEY }).nlu)).toBe('hybrid');
    expect(nluMode(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).nlu)).toBe('hybrid');
    expect(nluMode(loadConfig({ OPENAI_API_KEY: KEY, WAYBILL_NLU: 'offline' }).nlu)).toBe('offline');
    expect(nluMode(loadConfig({ OPENAI_API_KEY: KEY, WAYBILL_NLU: 'hybrid' }).nlu, 'llm')).toBe('llm');
  });

  it('reads the model settings, with defaults', () => {
    expect(loadConfig({}).nlu).toMatchObject({ timeoutMs: 4000, model: 'gpt-4o-mini' });
    const nlu = loadConfig({ OPENAI_API_KEY: KEY, OPENAI_MODEL: 'gpt-4.1-mini', WAYBILL_NLU_TIMEOUT_MS: '2500', WAYBILL_NLU_THRESHOLD: '0.7', WAYBILL_NLU: 'llm' }).nlu;
    expect(nlu).toMatchObject({ mode: 'llm', timeoutMs: 2500, lowConfidence: 0.7, model: 'gpt-4.1-mini' });
    expect(nlu.apiKey).toBe(KEY);
  });

  it('a variable set to nothing is the same as unset (not 0)', () => {
    const blank = loadConfig({ WAYBILL_NLU_TIMEOUT_MS: '', WAYBILL_RATE_LIMIT_PER_MINUTE: ' ', PORT: '', WAYBILL_NLU: '', WAYBILL_DEMO_SHIPMENTS: '' });
    expect(blank).toMatchObject({ ratePerMinute: 30, port: 3978, demoShipments: 2000, nlu: { timeoutMs: 4000 } });
    expect(nluMode(blank.nlu)).toBe('offline');
  });

  it('the API key is not serialized with the config', () => {
    const config = loadConfig({ OPENAI_API_KEY: KEY });
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(Object.keys(config.nlu)).not.toContain('apiKey');
  });

  it.each([
    [{ WAYBILL_NLU: 'llm' }, /needs a language model/],
    [{ WAYBILL_NLU: 'hybrid' }, /needs a language model/],
  ])('%j without a model is a usage error', (env, message) => {
    const nlu = loadConfig(env).nlu;
    expect(() => nluMode(nlu)).toThrow(UserError);
    expect(() => nluMode(nlu)).toThrow(message);
  });

  it.each([
    [{ WAYBILL_NLU: 'auto' }],
    [{ WAYBILL_NLU_TIMEOUT_MS: '-5' }],
    [{ WAYBILL_NLU_THRESHOLD: '1.5' }],
    [{ OPENAI_BASE_URL: 'ollama:11434' }],
  ])('rejects %j', (env) => {
    expect(() => loadConfig(env)).toThrow(UserError);
  });

  it('offline: a recognizer without LangChain', async () => {
    const r = await createRecognizerFromConfig(loadConfig({}).nlu);
    expect(r.mode).toBe('offline');
    expect((await r.recognize('cancel order 7', { now: new Date('2026-03-18T09:30:00Z'), timeZone: 'UTC' })).entities).toEqual({ order_id: 'ORD-7' });
  });
});
