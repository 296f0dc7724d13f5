import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse, scoreFrames, formatReport, type ScoreReport } from '../../domain/nlu';

/**
 * `npm run bench:nlu`: the contract's scoring (nlu.md "Scoring") on the published examples, the
 * independent dev set and the parser's own regression set; then the offline parser's throughput and
 * per-message latency on one core, and `waybill parse --batch` over 10,000 messages with start-up.
 * Prints figures and writes bench-results/nlu-bench.json; asserts nothing.
 */
interface Example { text: string; now?: string; tz?: string; expected: { intent: string; entities: object } }

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SETS: [string, string][] = [
  ['published examples', path.resolve(ROOT, '..', 'shared', 'spec', 'nlu-examples.jsonl')],
  ['dev set (independent, not tuned on)', path.join(ROOT, 'test', 'nlu', 'dev-set.jsonl')],
  ['parser regression set (tuned on)', path.join(ROOT, 'test', 'nlu', 'parser-cases.jsonl')],
];

function load(file: string): Example[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Example);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function perIntentTable(r: ScoreReport) {
  return Object.fromEntries(Object.entries(r.perIntent).sort().map(([k, s]) => [k, { n: s.n, correct: s.correct, accuracy: pct(s.accuracy) }]));
}

function main() {
  const results: Record<string, unknown> = {};
  const all: Example[] = [];
  for (const [name, file] of SETS) {
    if (!fs.existsSync(file)) {
      console.log(`\n== ${name}: ${file} not found, skipped`);
      continue;
    }
    const examples = load(file);
    all.push(...examples);
    const report = scoreFrames(
      examples.map((e) => ({ text: e.text, expected: e.expected, actual: parse(e.text, { now: new Date(e.now ?? '2026-03-18T09:30:00Z'), timeZone: e.tz ?? 'UTC' }) })),
    );
    console.log(`\n== ${name} (${path.relative(process.cwd(), file)})`);
    console.log(formatReport(report));
    console.table(perIntentTable(report));
    for (const f of report.failures.slice(0, 15)) {
      console.log(`  ✗ ${JSON.stringify(f.text)}\n      expected ${JSON.stringify(f.expected)}\n      got      ${JSON.stringify({ intent: f.actual.intent, entities: f.actual.entities })}`);
    }
    if (report.failures.length > 15) console.log(`  ... and ${report.failures.length - 15} more`);
    results[name] = {
      n: report.n, intentAccuracy: report.intentAccuracy, entityPrecision: report.entities.precision,
      entityRecall: report.entities.recall, entityF1: report.entities.f1, exactFrames: report.exactFrames,
      perIntent: report.perIntent, confusions: report.confusions,
    };
  }

  // Latency and throughput on one core: every message, many rounds, each parse timed alone.
  const inputs = all.map((e) => ({ text: e.text, opts: { now: new Date(e.now ?? '2026-03-18T09:30:00Z'), timeZone: e.tz ?? 'UTC' } }));
  for (const i of inputs.slice(0, 2000)) parse(i.text, i.opts); // warm-up
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - t0) < 3e9) {
    for (const i of inputs) {
      const s = process.hrtime.bigint();
      parse(i.text, i.opts);
      samples.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }
  const totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const speed = { messages: samples.length, perSecond: Math.round(samples.length / (totalMs / 1000)), p50ms: q(0.5), p99ms: q(0.99), maxMs: samples[samples.length - 1] };
  console.log('\n== offline parser speed (one core)');
  console.table({ speed: { ...speed, p50ms: speed.p50ms.toFixed(4), p99ms: speed.p99ms.toFixed(4), maxMs: speed.maxMs.toFixed(3) } });

  // The CLI over 10,000 messages, start-up included.
  const lines: string[] = [];
  for (let i = 0; lines.length < 10_000; i++) lines.push(JSON.stringify({ text: all[i % all.length].text, now: all[i % all.length].now }));
  const cli = path.join(ROOT, 'dist', 'bot', 'cli', 'main.js');
  const runs: number[] = [];
  for (let k = 0; k < 3; k++) {
    const s = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, 'parse', '--batch'], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
    runs.push(Number(process.hrtime.bigint() - s) / 1e9);
    if (r.status !== 0 || r.stdout.trim().split('\n').length !== 10_000) throw new Error(`parse --batch failed: ${r.stderr}`);
  }
  const batch = { messages: 10_000, seconds: runs.map((x) => Number(x.toFixed(2))), best: Math.min(...runs) };
  console.log('\n== waybill parse --batch, 10,000 messages, start-up included (3 runs)');
  console.table({ batch });

  const outDir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'nlu-bench.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, accuracy: results, speed, batch }, null, 2));
  console.log(`\nwrote ${path.join(outDir, 'nlu-bench.json')}`);
}

main();
