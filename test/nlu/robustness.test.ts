import { parse } from '../../domain/nlu/parser';
import { isJunk, toPlainText } from '../../domain/nlu/markup';

/** Hostile and broken input: always a frame, fast, never an exception or a hang. */
const opts = { now: new Date('2026-03-18T09:30:00Z'), timeZone: 'UTC' };

/** The best of three runs (a garbage-collection pause is not the parser's time). */
function timed(text: string): { ms: number; frame: ReturnType<typeof parse> } {
  let ms = Infinity;
  let frame = parse(text, opts);
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    frame = parse(text, opts);
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms, frame };
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomUnicode(n: number, rnd: () => number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    let cp = 0x20 + Math.floor(rnd() * 0x2ffe0);
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
    out += String.fromCodePoint(cp);
  }
  return out;
}

const rnd = seeded(42);
const CASES: [string, string][] = [
  ['100 KB of text', 'where is order 10042 '.repeat(5000)],
  ['100 KB of one letter', 'a'.repeat(100_000)],
  ['5,000 punctuation marks', '!?.,;:-'.repeat(715)],
  ['5,000 spaces', ' '.repeat(5000)],
  ['5,000 "<"', '<'.repeat(5000)],
  ['3,999 "<"', '<'.repeat(3999)],
  ['3,999 "&"', '&'.repeat(3999)],
  ['3,999 ":"', ':'.repeat(3999)],
  ['3,999 "#"', '#'.repeat(3999)],
  ['nested markup soup', '<p><at><b>*_~<#C1|x>'.repeat(180)],
  ['unclosed tags', '<at>'.repeat(990)],
  ['angle brackets nested', '<<<<>>>>'.repeat(490)],
  ['entity soup', '&amp;&lt;&#x41;&#99999999;&nbsp;'.repeat(120)],
  ['NUL bytes', 'where is order\u0000 10042'],
  ['control characters', 'cancel order 10042\u0007\u001b[31m'],
  ['lone surrogate', 'track \ud800 SHP-000123'],
  ['random unicode', randomUnicode(3000, rnd)],
  ['emoji storm', '\u{1F69A}\u{1F4E6}'.repeat(900)],
  ['repeated weekdays', 'friday '.repeat(560)],
  ['repeated dates', '3/25 '.repeat(790)],
  ['repeated lanes', 'from a to b '.repeat(330)],
  ['word salad', Array.from({ length: 500 }, (_, i) => 'xq' + i.toString(36) + 'zv').join(' ')],
  ['typos', 'shipmnet invocie cancle delivred '.repeat(110)],
  ['digits', '1 '.repeat(1990)],
  ['long url', '<https://x.example/' + 'a/'.repeat(290) + '|x...>'],
  ['binary junk', Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37) % 256)).toString('latin1')],
  ['empty', ''],
  ['long reason of separators', 'flag INV-2291, ' + ', - : '.repeat(600) + 'x'],
  ['long reason of words', 'dispute INV-2291 because ' + 'the fuel surcharge was billed twice '.repeat(100)],
  ['only markup', '<@U024BE7LH> <at>Waybill</at> :wave:'],
];

describe('robustness', () => {
  // A hang guard, not a performance test (latency is measured by `npm run bench:nlu`): a regular
  // expression with catastrophic backtracking would take seconds to minutes on these strings.
  it.each(CASES)('%s: a frame, no hang', (_name, text) => {
    const { ms, frame } = timed(text);
    expect(['unknown', 'help', 'track_shipment', 'list_shipments', 'create_order', 'cancel_order', 'audit_invoices', 'flag_invoice', 'kpi_report', 'schedule_digest']).toContain(frame.intent);
    expect(frame.confidence).toBeGreaterThanOrEqual(0);
    expect(frame.confidence).toBeLessThanOrEqual(1);
    expect(ms).toBeLessThan(2000);
  });

  it('reads oversized input, control characters and binary junk as unknown', () => {
    for (const text of ['where is order 10042 '.repeat(300), 'where is order\u0000 10042', 'cancel order 10042\u0007', CASES[25][1]]) {
      expect(parse(text, opts)).toEqual({ intent: 'unknown', entities: {}, confidence: 1 });
    }
  });

  it('never throws on non-string input', () => {
    expect(parse(undefined as unknown as string, opts).intent).toBe('unknown');
    expect(parse(42 as unknown as string, opts).intent).toBe('unknown');
  });

  it('survives 2,000 random messages', () => {
    const r = seeded(7);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 <>#@&;:|/-_*~.,$%\n';
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(r() * 200);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(r() * alphabet.length)];
      expect(() => parse(s, opts)).not.toThrow();
    }
  });

  it('detects junk', () => {
    expect(isJunk('hello')).toBe(false);
    expect(isJunk('tab\tand\nnewline\r\n')).toBe(false);
    expect(isJunk('nul\u0000')).toBe(true);
    expect(isJunk('c1 \u0085')).toBe(true);
    expect(isJunk('\ud800 lone')).toBe(true);
    expect(isJunk('emoji \u{1F69A} ok')).toBe(false);
  });
});

describe('markup', () => {
  it.each([
    ['<@U024BE7LH> where is it', '  where is it'],
    ['<#C024BE7LR|ops-reports>', ' #ops-reports '],
    ['<https://x.example/1Z99|1Z99 label>', '1Z99 label'],
    ['<https://x.example/1Z99|1Z99...>', 'https://x.example/1Z99'],
    ['<mailto:a@b.example|a@b.example>', 'a@b.example'],
    ['<at>Waybill</at> hi', '  hi'],
    ['<p>one</p><p>two</p>', '\none\n\ntwo\n'],
    ['A &amp; B&nbsp;C &lt;3', 'A & B C <3'],
    ['*bold* _italic_ ~strike~', ' bold   italic   strike '],
    ['ops_reports stays', 'ops_reports stays'],
    [':truck: on the way :white_check_mark:', '  on the way  '],
    ['at 7:30: fine', 'at 7:30: fine'],
    ['\u201csmart\u201d \u2019quotes\u2019 \u2013 dash \u2192 arrow\u2026', '"smart" \'quotes\' - dash  ->  arrow...'],
    ['x < 5 and y > 3', 'x < 5 and y > 3'],
  ])('%j', (raw, plain) => {
    expect(toPlainText(raw)).toBe(plain);
  });
});
