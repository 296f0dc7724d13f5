import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../../domain/nlu/parser';
import {
  DEFAULT_LOW_CONFIDENCE,
  DEFAULT_UNKNOWN_BELOW,
  createRecognizer,
  frameFromModel,
  modelContext,
  needsModel,
  type FrameModel,
  type FrameModelContext,
} from '../../../domain/nlu/recognizer';
import type { Logger } from '../../../domain/logger';

/** The recognizer on its own (domain, no HTTP): modes, validation of the model's answer, fallbacks. */
const OPTS = { now: new Date('2026-03-18T09:30:00Z'), timeZone: 'UTC' };

interface Call {
  text: string;
  context: FrameModelContext;
}

function scriptedModel(answer: (text: string) => unknown | Promise<unknown>): FrameModel & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async propose(text, context) {
      calls.push({ text, context });
      return answer(text);
    },
  };
}

function recordingLogger(): Logger & { warnings: { obj: unknown; msg?: string }[] } {
  const warnings: { obj: unknown; msg?: string }[] = [];
  return {
    warnings,
    debug() {},
    info() {},
    warn(obj, msg) {
      warnings.push({ obj, msg });
    },
    error() {},
  };
}

// A message the offline parser is sure about, and ones it is not (checked below, not assumed).
const CONFIDENT = 'where is order 10042?';
const UNSURE_KNOWN = 'book me a table for 4 at 7pm'; // offline: create_order, low confidence
const UNSURE_UNKNOWN = 'what did we deliver for Initech in June'; // offline: unknown, low confidence

describe('recognizer: modes', () => {
  it('the example messages are what the tests assume', () => {
    expect(parse(CONFIDENT, OPTS).confidence).toBeGreaterThanOrEqual(DEFAULT_LOW_CONFIDENCE);
    const known = parse(UNSURE_KNOWN, OPTS);
    expect(known.intent).not.toBe('unknown');
    expect(known.confidence).toBeLessThan(DEFAULT_LOW_CONFIDENCE);
    const unknown = parse(UNSURE_UNKNOWN, OPTS);
    expect(unknown.intent).toBe('unknown');
    expect(unknown.confidence).toBeLessThan(DEFAULT_UNKNOWN_BELOW);
  });

  it('offline: the offline frame, never a model', async () => {
    const r = createRecognizer({ mode: 'offline' });
    expect(await r.recognize(CONFIDENT, OPTS)).toEqual({ ...parse(CONFIDENT, OPTS), source: 'offline' });
  });

  it('llm and hybrid need a model', () => {
    expect(() => createRecognizer({ mode: 'llm' })).toThrow(/needs a model/);
    expect(() => createRecognizer({ mode: 'hybrid' })).toThrow(/needs a model/);
  });

  it('hybrid: a confident offline frame never calls the model', async () => {
    const model = scriptedModel(() => ({ intent: 'help', entities: {} }));
    const r = createRecognizer({ mode: 'hybrid', model });
    expect(await r.recognize(CONFIDENT, OPTS)).toMatchObject({ intent: 'track_shipment', source: 'offline' });
    expect(model.calls).toHaveLength(0);
  });

  it('hybrid: a low-confidence frame, and an unsure unknown, ask the model', async () => {
    const model = scriptedModel((text) =>
      text.includes('Initech') ? { intent: 'list_shipments', entities: { status: 'delivered', customer: 'Initech', period: { from: '2025-06-01', to: '2025-06-30' } } } : { intent: 'unknown', entities: {} },
    );
    const r = createRecognizer({ mode: 'hybrid', model });
    expect(await r.recognize(UNSURE_KNOWN, OPTS)).toEqual({ intent: 'unknown', entities: {}, confidence: 0.9, source: 'llm' });
    expect(await r.recognize(UNSURE_UNKNOWN, OPTS)).toMatchObject({ intent: 'list_shipments', entities: { customer: 'Initech' }, source: 'llm' });
    expect(model.calls).toHaveLength(2);
  });

  it('hybrid: a sure unknown ("thanks!") is not sent to the model', async () => {
    const model = scriptedModel(() => ({ intent: 'help', entities: {} }));
    const r = createRecognizer({ mode: 'hybrid', model });
    expect(await r.recognize('thanks!', OPTS)).toMatchObject({ intent: 'unknown', source: 'offline' });
    expect(model.calls).toHaveLength(0);
  });

  it('hybrid: the threshold is configurable', async () => {
    const model = scriptedModel(() => ({ intent: 'help', entities: {} }));
    const r = createRecognizer({ mode: 'hybrid', model, lowConfidence: 1 });
    expect(await r.recognize(CONFIDENT, OPTS)).toMatchObject({ intent: 'help', source: 'llm' });
  });

  it('llm: always the model, which gets the plain text, today, the weekday and the time zone', async () => {
    const model = scriptedModel(() => ({ intent: 'track_shipment', entities: { order_id: '10042' } }));
    const r = createRecognizer({ mode: 'llm', model });
    const frame = await r.recognize('<@U024BE7LH> where is *order 10042*?', { now: new Date('2026-03-18T03:00:00Z'), timeZone: 'America/New_York' });
    expect(frame).toEqual({ intent: 'track_shipment', entities: { order_id: 'ORD-10042' }, confidence: 0.9, source: 'llm' });
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0].text).toMatch(/^where is order 10042 ?\?$/);
    expect(model.calls[0].context).toMatchObject({ today: '2026-03-17', weekday: 'Tuesday', timeZone: 'America/New_York' });
  });

  it('llm: empty, junk and oversized input is not sent', async () => {
    const model = scriptedModel(() => ({ intent: 'help', entities: {} }));
    const r = createRecognizer({ mode: 'llm', model });
    for (const text of ['', '   ', 'a\u0000b', 'x'.repeat(5000)]) expect((await r.recognize(text, OPTS)).source).toBe('offline');
    expect(model.calls).toHaveLength(0);
  });
});

describe('recognizer: the model answer is data, validated and normalized', () => {
  it.each([
    ['ids get their prefix', { intent: 'track_shipment', entities: { order_id: '10042', po_number: 'po 55121' } }, { order_id: 'ORD-10042', po_number: 'PO-55121' }],
    ['entities of another intent are dropped', { intent: 'track_shipment', entities: { order_id: 'ORD-1', customer: 'Acme', period: { from: '2026-03-01', to: '2026-03-18' } } }, { order_id: 'ORD-1' }],
    ['channel lower case with #', { intent: 'schedule_digest', entities: { channel: 'Ops-Reports', frequency: 'daily', time: '08:00' } }, { channel: '#ops-reports', frequency: 'daily', time: '08:00' }],
    ['null and "" mean not stated', { intent: 'kpi_report', entities: { metric: 'otif', carrier: null, customer: '', period: null } }, { metric: 'otif' }],
    ['keys outside the contract are ignored', { intent: 'help', entities: { sql: 'DROP TABLE orders' }, sql: 'DELETE FROM x', code: 'process.exit(1)' }, {}],
    ['day_of_week only with weekly', { intent: 'schedule_digest', entities: { frequency: 'daily', day_of_week: 'monday' } }, { frequency: 'daily' }],
    ['a JSON string answer', JSON.stringify({ intent: 'cancel_order', entities: { order_id: 'ord-7' } }), { order_id: 'ORD-7' }],
  ])('%s', (_, raw, entities) => {
    const r = frameFromModel(raw);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.frame.entities).toEqual(entities);
  });

  it.each([
    ['an unknown intent', { intent: 'delete_everything', entities: {} }],
    ['wrong types', { intent: 'create_order', entities: { weight_kg: 'heavy' } }],
    ['a date not in YYYY-MM-DD', { intent: 'create_order', entities: { pickup_date: 'next Friday' } }],
    ['a bad unit', { intent: 'create_order', entities: { items: [{ quantity: 2, unit: 'barrel' }] } }],
    ['entities not an object', { intent: 'help', entities: ['x'] }],
    ['not an object', ['track_shipment']],
    ['not JSON', '{"intent": "help", '],
    ['nothing', undefined],
  ])('rejects %s', (_, raw) => {
    const r = frameFromModel(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
  });

  it('an invalid answer -> the offline frame and a warning naming the issue, not the values', async () => {
    const logger = recordingLogger();
    const model = scriptedModel(() => ({ intent: 'create_order', entities: { weight_kg: 'SECRET-ish value' } }));
    const r = createRecognizer({ mode: 'llm', model, logger });
    expect(await r.recognize(CONFIDENT, OPTS)).toEqual({ ...parse(CONFIDENT, OPTS), source: 'offline' });
    expect(logger.warnings).toHaveLength(1);
    const logged = JSON.stringify(logger.warnings[0]);
    expect(logged).toMatch(/invalid frame/);
    expect(logged).toMatch(/weight_kg/);
    expect(logged).not.toMatch(/SECRET-ish/);
  });

  it('a model that throws -> the offline frame and a warning', async () => {
    const logger = recordingLogger();
    const model = scriptedModel(() => {
      throw Object.assign(new Error('the model server answered HTTP 500'), { status: 500 });
    });
    const r = createRecognizer({ mode: 'llm', model, logger });
    expect(await r.recognize(CONFIDENT, OPTS)).toMatchObject({ intent: 'track_shipment', source: 'offline' });
    expect(logger.warnings[0].obj).toMatchObject({ err: { status: 500 } });
  });

  it('a model that never answers -> the offline frame at the deadline', async () => {
    const logger = recordingLogger();
    const model: FrameModel = { propose: () => new Promise(() => {}) };
    const r = createRecognizer({ mode: 'llm', model, logger, timeoutMs: 100 });
    const started = Date.now();
    expect(await r.recognize(CONFIDENT, OPTS)).toMatchObject({ intent: 'track_shipment', source: 'offline' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(JSON.stringify(logger.warnings)).toMatch(/did not answer within 100 ms/);
  });
});

describe('the hybrid threshold, on the dev set', () => {
  // Evidence for DEFAULT_LOW_CONFIDENCE / DEFAULT_UNKNOWN_BELOW (see domain/nlu/recognizer.ts).
  const dev = fs
    .readFileSync(path.join(__dirname, '..', 'dev-set.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; now: string; expected: { intent: string } });
  const rows = dev.map((e) => ({ e, frame: parse(e.text, { now: new Date(e.now), timeZone: 'UTC' }) }));

  it('sends few messages to the model (< 10%), and every message it keeps offline has the right intent', () => {
    const asked = rows.filter((r) => needsModel(r.frame));
    const kept = rows.filter((r) => !needsModel(r.frame));
    expect(asked.length / rows.length).toBeLessThan(0.1);
    const wrongKept = kept.filter((r) => r.frame.intent !== r.e.expected.intent);
    expect(wrongKept.map((r) => r.e.text)).toEqual([]);
  });

  it('modelContext spells out the day', () => {
    expect(modelContext({ now: new Date('2026-12-29T08:00:00Z'), timeZone: 'UTC' })).toMatchObject({ today: '2026-12-29', weekday: 'Tuesday' });
    expect(modelContext({ now: new Date('2026-03-18T23:30:00Z'), timeZone: 'Asia/Tokyo' })).toMatchObject({ today: '2026-03-19', weekday: 'Thursday' });
  });
});
