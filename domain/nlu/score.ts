/**
 * The accuracy scoring of nlu.md "Scoring": intent accuracy, micro entity P/R/F1 over flattened
 * (path, value) pairs, exact frames, per-intent accuracy and the intent confusions.
 */

export interface ScoredFrame {
  intent: string;
  entities?: object;
}

export interface ScorePair {
  expected: ScoredFrame;
  actual: ScoredFrame;
  /** The message, for the failure list (optional). */
  text?: string;
}

export interface EntityCounts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface IntentStats {
  n: number;
  correct: number;
  accuracy: number;
}

export interface Confusion {
  expected: string;
  actual: string;
  count: number;
}

export interface Failure {
  text?: string;
  expected: ScoredFrame;
  actual: ScoredFrame;
  /** Pairs expected but missing or different. */
  missing: [string, unknown][];
  /** Pairs produced but not expected (or different). */
  extra: [string, unknown][];
}

export interface ScoreReport {
  n: number;
  intentAccuracy: number;
  entities: EntityCounts;
  exactFrames: number;
  perIntent: Record<string, IntentStats>;
  confusions: Confusion[];
  failures: Failure[];
}

/** Flattens entities to (path, value) pairs: `items.0.quantity`, `period.from`, ... */
export function flattenEntities(entities: unknown, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (v: unknown, path: string) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
      return;
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    out.push([path, v]);
  };
  walk(entities, prefix);
  return out;
}

/** Strings case-insensitively, white space collapsed, trailing punctuation dropped. */
const PUNCT_OR_SPACE = /[\p{P}\s]/u;

export function normalizeString(s: string): string {
  const t = s.toLowerCase().replace(/\s+/g, ' ').trim();
  let end = t.length;
  while (end > 0 && PUNCT_OR_SPACE.test(t[end - 1])) end--;
  return t.slice(0, end);
}

/** Values compare as the contract says: numbers within 0.05, strings normalized. */
export function valuesMatch(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' || typeof actual === 'number') {
    const a = typeof expected === 'number' ? expected : Number(expected);
    const b = typeof actual === 'number' ? actual : Number(actual);
    if (typeof expected === 'string' && expected.trim() === '') return false;
    if (typeof actual === 'string' && actual.trim() === '') return false;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
    return Math.abs(a - b) <= 0.05 + 1e-9;
  }
  if (typeof expected === 'string' && typeof actual === 'string') return normalizeString(expected) === normalizeString(actual);
  return expected === actual;
}

function ratio(a: number, b: number, empty = 1): number {
  return b === 0 ? empty : a / b;
}

/** Scores frames against expectations. */
export function scoreFrames(pairs: ScorePair[]): ScoreReport {
  let intentRight = 0;
  let exact = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const perIntent: Record<string, IntentStats> = {};
  const confusionMap = new Map<string, Confusion>();
  const failures: Failure[] = [];
  for (const p of pairs) {
    const expIntent = p.expected.intent;
    const actIntent = p.actual?.intent ?? 'unknown';
    const stats = (perIntent[expIntent] ??= { n: 0, correct: 0, accuracy: 0 });
    stats.n++;
    const intentOk = expIntent === actIntent;
    if (intentOk) {
      intentRight++;
      stats.correct++;
    } else {
      const key = `${expIntent}\u0000${actIntent}`;
      const c = confusionMap.get(key) ?? { expected: expIntent, actual: actIntent, count: 0 };
      c.count++;
      confusionMap.set(key, c);
    }
    const expPairs = flattenEntities(p.expected.entities ?? {});
    const actPairs = flattenEntities(p.actual?.entities ?? {});
    const actByPath = new Map<string, unknown>();
    for (const [k, v] of actPairs) actByPath.set(k, v);
    const matched = new Set<string>();
    const missing: [string, unknown][] = [];
    for (const [k, v] of expPairs) {
      if (actByPath.has(k) && !matched.has(k) && valuesMatch(v, actByPath.get(k))) {
        matched.add(k);
        tp++;
      } else {
        fn++;
        missing.push([k, v]);
      }
    }
    const extra: [string, unknown][] = [];
    for (const [k, v] of actPairs) {
      if (!matched.has(k)) {
        fp++;
        extra.push([k, v]);
      }
    }
    if (intentOk && missing.length === 0 && extra.length === 0) exact++;
    else failures.push({ text: p.text, expected: p.expected, actual: p.actual, missing, extra });
  }
  for (const s of Object.values(perIntent)) s.accuracy = ratio(s.correct, s.n);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const n = pairs.length;
  return {
    n,
    intentAccuracy: ratio(intentRight, n),
    entities: { tp, fp, fn, precision, recall, f1 },
    exactFrames: ratio(exact, n),
    perIntent,
    confusions: [...confusionMap.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    failures,
  };
}

/** A one-screen summary of a report. */
export function formatReport(r: ScoreReport): string {
  const pct = (x: number) => (x * 100).toFixed(1) + '%';
  const lines = [
    `messages ${r.n}  intent accuracy ${pct(r.intentAccuracy)}  entity P ${pct(r.entities.precision)} R ${pct(r.entities.recall)} F1 ${pct(r.entities.f1)}  exact frames ${pct(r.exactFrames)}`,
    'per intent: ' + Object.entries(r.perIntent).map(([k, s]) => `${k} ${s.correct}/${s.n}`).join(', '),
  ];
  if (r.confusions.length) lines.push('confusions: ' + r.confusions.map((c) => `${c.expected} -> ${c.actual} x${c.count}`).join(', '));
  return lines.join('\n');
}
