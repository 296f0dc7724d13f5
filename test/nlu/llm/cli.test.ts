import { spawn, spawnSync } from 'node:child_process';
import { CLI, ROOT, type CliResult } from '../../support/cli';
import { apiError, startFakeOpenAI, toolCallCompletion, type FakeOpenAI, type RecordedRequest } from '../../support/fakeOpenAI';

/**
 * `waybill parse` with a language model: the compiled CLI (built by jest's globalSetup), the real SDK,
 * a fake OpenAI-compatible server in this process. The CLI runs asynchronously so the server can answer.
 */
const NOW = '2026-03-18T09:30:00Z';
const API_KEY = 'sk-test-cli-8b1f2e3d4c5a69788796a5b4c3d2e1f0';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setFallback(apiError(500, 'fake OpenAI: no scripted response'));
});

/** The environment of a run: none of the developer's model settings leak in. */
function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: undefined,
    OPENAI_BASE_URL: undefined,
    OPENAI_API_BASE: undefined,
    OPENAI_MODEL: undefined,
    WAYBILL_NLU: undefined,
    WAYBILL_NLU_TIMEOUT_MS: undefined,
    WAYBILL_NLU_THRESHOLD: undefined,
    LANGSMITH_TRACING: undefined,
    LANGCHAIN_TRACING_V2: undefined,
    ...env,
  };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out as NodeJS.ProcessEnv;
}

function runCliAsync(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

const modelEnv = () => ({ OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: API_KEY });
const lines = (s: string) => s.split('\n').filter((l) => l !== '');
const userText = (req: RecordedRequest): string => JSON.parse(String(req.body.messages[1].content).replace(/^[^"]*/, ''));

describe('waybill parse with a language model', () => {
  it('--nlu llm: the model frame, normalized, with source llm', async () => {
    fake.enqueue({ json: toolCallCompletion({ intent: 'cancel_order', entities: { order_id: '10042', reason: 'customer changed their mind', customer: 'Acme' } }) });
    const r = await runCliAsync(['parse', '--nlu', 'llm', '--now', NOW, 'please drop 10042, customer changed their mind'], modelEnv());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual({ intent: 'cancel_order', entities: { order_id: 'ORD-10042', reason: 'customer changed their mind' }, confidence: 0.9, source: 'llm' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].body.messages[0].content).toContain('Today is Wednesday 2026-03-18 in the time zone UTC');
  });

  it('the model server failing (HTTP 500) -> the offline frame, exit 0, one warning without the key', async () => {
    const r = await runCliAsync(['parse', '--nlu', 'llm', '--now', NOW, 'where is order 10042?'], modelEnv());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ intent: 'track_shipment', entities: { order_id: 'ORD-10042' }, confidence: 0.99, source: 'offline' });
    expect(fake.requests).toHaveLength(1);
    const warnings = lines(r.stderr).map((l) => JSON.parse(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, err: { status: 500 } });
    expect(r.stderr).not.toContain(API_KEY);
  });

  it('a server that echoes the key in its error: the key is not in the output', async () => {
    fake.setFallback(apiError(401, `Incorrect API key provided: ${API_KEY}.`, 'invalid_request_error'));
    const r = await runCliAsync(['parse', '--nlu', 'llm', '--now', NOW, 'where is order 10042?'], modelEnv());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).source).toBe('offline');
    expect(r.stderr).toMatch(/401/);
    expect(r.stderr + r.stdout).not.toContain(API_KEY);
  });

  it('a model configured: hybrid by default; a confident message never reaches the model', async () => {
    const r = await runCliAsync(['parse', '--now', NOW, 'where is order 10042?'], modelEnv());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ intent: 'track_shipment', entities: { order_id: 'ORD-10042' }, confidence: 0.99, source: 'offline' });
    expect(fake.requests).toHaveLength(0);
  });

  it('hybrid with only a base URL (e.g. Ollama): an unsure message goes to the model, with a placeholder key', async () => {
    fake.enqueue({ json: toolCallCompletion({ intent: 'unknown', entities: {} }) });
    const r = await runCliAsync(['parse', '--now', NOW, 'book me a table for 4 at 7pm'], { OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'llama3.1:8b' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ intent: 'unknown', source: 'llm' });
    expect(fake.requests[0].headers.authorization).toBe('Bearer not-needed');
    expect(fake.requests[0].body.model).toBe('llama3.1:8b');
  });

  it('--nlu offline overrides a configured model, and the output keeps its offline shape', async () => {
    const r = await runCliAsync(['parse', '--nlu', 'offline', '--now', NOW, 'book me a table for 4 at 7pm'], modelEnv());
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['intent', 'entities', 'confidence']);
    expect(fake.requests).toHaveLength(0);
  });

  it('a slow server: the offline frame after the timeout (WAYBILL_NLU_TIMEOUT_MS)', async () => {
    fake.setFallback({ delayMs: 5000, json: toolCallCompletion({ intent: 'help', entities: {} }) });
    const r = await runCliAsync(['parse', '--nlu', 'llm', '--now', NOW, 'where is order 10042?'], { ...modelEnv(), WAYBILL_NLU_TIMEOUT_MS: '300' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ intent: 'track_shipment', source: 'offline' });
    expect(r.stderr).toMatch(/did not answer within 300 ms/);
  });

  it.each([
    [['parse', '--nlu', 'llm', 'hi'], {}, /NLU mode "llm" needs a language model: set OPENAI_API_KEY/],
    [['parse', 'hi'], { WAYBILL_NLU: 'hybrid' }, /NLU mode "hybrid" needs a language model/],
    [['parse', '--nlu', 'smart', 'hi'], {}, /--nlu "smart" is not one of offline, llm, hybrid/],
    [['parse', 'hi'], { WAYBILL_NLU: 'smart' }, /WAYBILL_NLU/],
    [['parse', 'hi'], { OPENAI_BASE_URL: 'localhost:11434' }, /OPENAI_BASE_URL must be an http\(s\) URL/],
  ])('exits 2 with one line for %j %j', async (args, env, message) => {
    const r = await runCliAsync(args as string[], env as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('--batch with a model: answers in input order, a few requests at a time', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `please drop order ${1000 + i}`);
    // earlier messages answer later: order must come from the input, not from the answers
    fake.setFallback((req) => {
      const n = Number(/\d{4}/.exec(userText(req))![0]) - 1000;
      return { delayMs: (10 - n) * 30, json: toolCallCompletion({ intent: 'cancel_order', entities: { order_id: String(1000 + n) } }) };
    });
    const input = [...texts.map((text) => JSON.stringify({ text })), 'not json', JSON.stringify({ text: 'where is order 10042?' })].join('\n') + '\n';
    const r = await runCliAsync(['parse', '--batch', '--nlu', 'llm', '--now', NOW], modelEnv(), input);
    expect(r.code).toBe(0);
    const frames = lines(r.stdout).map((l) => JSON.parse(l));
    expect(frames).toHaveLength(12);
    expect(frames.slice(0, 10).map((f) => f.entities.order_id)).toEqual(texts.map((_, i) => `ORD-${1000 + i}`));
    expect(frames.slice(0, 10).every((f) => f.source === 'llm')).toBe(true);
    expect(frames[10]).toEqual({ intent: 'unknown', entities: {}, confidence: 1, source: 'offline' });
    expect(frames[11]).toMatchObject({ intent: 'cancel_order', source: 'llm' }); // the fallback answers "cancel" for any 4 digits
    expect(fake.requests).toHaveLength(11);
    expect(fake.maxInFlight).toBeGreaterThan(1);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('offline mode never loads LangChain; a model mode does', () => {
    const loaded = (env: Record<string, string | undefined>, args: string[]) => {
      const script = `
        const { main } = require(${JSON.stringify(CLI)});
        main(${JSON.stringify(args)}).then((code) => {
          const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](@langchain|openai)[\\\\/]/.test(k)).length;
          process.stderr.write(JSON.stringify({ code, loaded }));
        });`;
      const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: cliEnv(env) });
      return JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('{"code"')));
    };
    expect(loaded({}, ['parse', '--now', NOW, 'where is order 10042'])).toEqual({ code: 0, loaded: 0 });
    expect(loaded(modelEnv(), ['parse', '--nlu', 'offline', '--now', NOW, 'where is order 10042'])).toEqual({ code: 0, loaded: 0 });
    // hybrid, confident message: LangChain is loaded but no request is made
    expect(loaded(modelEnv(), ['parse', '--now', NOW, 'where is order 10042']).loaded).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(0);
  });
});
