import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../domain/nlu/parser';
import { formatReport, scoreFrames, type ScorePair } from '../../domain/nlu/score';

/**
 * The contract's published examples (all exact), and the parser's own regression set
 * (test/nlu/parser-cases.jsonl: varied messages written for development, not the published 47).
 */
interface Example {
  text: string;
  now?: string;
  tz?: string;
  expected: { intent: string; entities: Record<string, unknown> };
}

function load(file: string): Example[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Example);
}

function score(examples: Example[]) {
  const pairs: ScorePair[] = examples.map((ex) => ({
    text: ex.text,
    expected: ex.expected,
    actual: parse(ex.text, { now: new Date(ex.now ?? '2026-03-18T09:30:00Z'), timeZone: ex.tz ?? 'UTC' }),
  }));
  return scoreFrames(pairs);
}

const PUBLISHED = path.resolve(__dirname, '..', '..', '..', 'shared', 'spec', 'nlu-examples.jsonl');
const OWN = path.join(__dirname, 'parser-cases.jsonl');

describe('the published examples (nlu-examples.jsonl)', () => {
  const examples = fs.existsSync(PUBLISHED) ? load(PUBLISHED) : [];
  (examples.length ? it : it.skip)('parses every one exactly', () => {
    const r = score(examples);
    const failures = r.failures.map((f) => `${f.text}: missing ${JSON.stringify(f.missing)} extra ${JSON.stringify(f.extra)} intent ${f.actual.intent}`);
    expect(failures).toEqual([]);
    expect(r.exactFrames).toBe(1);
  });

  (examples.length ? it.each(examples.map((e) => [e.text, e] as const)) : it.skip.each([['none', undefined]]))('%s', (_text, ex) => {
    if (!ex) return;
    const f = parse(ex.text, { now: new Date(ex.now ?? '2026-03-18T09:30:00Z'), timeZone: 'UTC' });
    expect({ intent: f.intent, entities: f.entities }).toEqual(ex.expected);
  });
});

describe('the parser regression set (parser-cases.jsonl)', () => {
  const examples = load(OWN);

  it('has at least 300 varied messages', () => {
    expect(examples.length).toBeGreaterThanOrEqual(300);
    expect(new Set(examples.map((e) => e.expected.intent)).size).toBe(10);
  });

  it('scores above the targets', () => {
    const r = score(examples);
    const report = formatReport(r) + '\n' + r.failures.slice(0, 20).map((f) => `  ${JSON.stringify(f.text)} -> ${f.actual.intent} missing ${JSON.stringify(f.missing)} extra ${JSON.stringify(f.extra)}`).join('\n');
    expect({ ok: r.intentAccuracy >= 0.99 && r.entities.f1 >= 0.99 && r.exactFrames >= 0.97, report }).toEqual({ ok: true, report });
  });
});
