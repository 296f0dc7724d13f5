/**
 * Tokenizer: one linear scan over the plain text. Words keep their offsets so entities can be
 * returned "as written"; each token also carries a canonical form (lower case, abbreviations
 * expanded, typos of cue words corrected) that the cue lexicons match on.
 */
import { ABBREVIATIONS, COMMON, FUZZY_TARGETS, MONTHS, NUMBER_WORDS, PLACE_WORDS, UNIT_WORDS, WEEKDAYS, wordTable } from './lexicon';

export type Kind = 'w' | 'n' | 'p';

export interface Token {
  /** As typed. */
  t: string;
  /** Lower case. */
  l: string;
  /** Canonical form: abbreviation expanded, typo corrected, lower case. */
  n: string;
  /** Offsets in the plain text. */
  s: number;
  e: number;
  /** White space (or start of text) before it. */
  sp: boolean;
  /** A line break (or start of text) before it. */
  nl: boolean;
  /** w: has a letter; n: digits (with , . inside); p: punctuation. */
  k: Kind;
  /** Starts with a capital letter. */
  cap: boolean;
  /** All its letters are capitals (two or more letters). */
  up: boolean;
  /** First token of a sentence or line. */
  ss: boolean;
  /** Produced by expanding an abbreviation; shares the span of the token before it. */
  v?: boolean;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && isUnicodeWordChar(c));
}

const UNICODE_WORD = /[\p{L}\p{N}\p{M}]/u;
function isUnicodeWordChar(c: number): boolean {
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return UNICODE_WORD.test(String.fromCharCode(c));
}

function isWordCode(c: number): boolean {
  return isAsciiAlnum(c) || (c > 127 && isUnicodeWordChar(c));
}

// ---------------------------------------------------------------------------------------------
// Typo correction

const KNOWN = new Set<string>([
  ...COMMON,
  ...PLACE_WORDS,
  ...Object.keys(ABBREVIATIONS),
  ...Object.keys(UNIT_WORDS),
  ...Object.keys(MONTHS),
  ...Object.keys(WEEKDAYS),
  ...Object.keys(NUMBER_WORDS),
  ...FUZZY_TARGETS,
]);

const TARGETS = [...new Set(FUZZY_TARGETS)].filter((w) => w.length >= 5);

// Reused rows of the distance table (words are at most 16 characters long here).
let ROW0 = new Int32Array(64);
let ROW1 = new Int32Array(64);
let ROW2 = new Int32Array(64);

/** Optimal-string-alignment distance, or max+1 as soon as it must exceed max. */
export function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb + 1 > ROW0.length) {
    ROW0 = new Int32Array(lb + 1);
    ROW1 = new Int32Array(lb + 1);
    ROW2 = new Int32Array(lb + 1);
  }
  let prev2 = ROW0;
  let prev = ROW1;
  let cur = ROW2;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      if (ins < v) v = ins;
      const sub = prev[j - 1] + cost;
      if (sub < v) v = sub;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

const fuzzyCache = new Map<string, string>();

/** The cue word a misspelled word stands for, or the word itself. */
export function correct(word: string): string {
  const hit = fuzzyCache.get(word);
  if (hit !== undefined) return hit;
  let best = word;
  if (word.length >= 5 && word.length <= 16 && !KNOWN.has(word)) {
    const max = word.length >= 7 ? 2 : 1;
    let bestD = max + 1;
    for (const t of TARGETS) {
      if (Math.abs(t.length - word.length) > max) continue;
      const d = editDistance(word, t, Math.min(max, bestD - 1 < 0 ? 0 : bestD));
      if (d < bestD) {
        bestD = d;
        best = t;
        if (d === 1) {
          // A distance-1 match is as good as it gets for a typo; keep the first one.
          break;
        }
      }
    }
    if (bestD > max) best = word;
  }
  if (fuzzyCache.size > 20000) fuzzyCache.clear();
  fuzzyCache.set(word, best);
  return best;
}

export function isKnownWord(w: string): boolean {
  return KNOWN.has(w);
}

// ---------------------------------------------------------------------------------------------
// Scanning

const IS_BEFORE_S = new Set(['what', 'where', 'how', 'who', 'that', 'it', 'there', 'here', 'when', 'why', 'which']);
const CONTRACTIONS: Record<string, string> = wordTable({ "'re": 'are', "'ll": 'will', "'ve": 'have', "'m": 'am', "'d": 'would' });

function isAsciiAlpha(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 97 && c <= 122)) return false;
  }
  return true;
}

/** Typo lookups per message (cache hits are free): bounded work on word salad. */
const FUZZY_BUDGET = 40;

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isDigit(s.charCodeAt(i))) return true;
  return false;
}

class Builder {
  readonly tokens: Token[] = [];
  private sentenceStart = true;
  private fuzzyLeft = FUZZY_BUDGET;

  constructor(private readonly text: string) {}

  push(s: number, e: number, sp: boolean, nl: boolean, kind?: Kind, canonical?: string, virtual = false): Token {
    const t = this.text.slice(s, e);
    const l = t.toLowerCase();
    let k: Kind = kind ?? 'p';
    let cap = false;
    let up = false;
    if (kind === undefined) {
      let letters = 0;
      let upper = 0;
      let digits = 0;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (isDigit(c)) digits++;
        else if (isLetterCode(c)) {
          letters++;
          if (t[i] !== l[i]) upper++;
        }
      }
      if (letters > 0) k = 'w';
      else if (digits > 0) k = 'n';
      else k = 'p';
      cap = letters > 0 && t[0] !== l[0];
      up = letters >= 2 && upper === letters;
    }
    const ss = this.sentenceStart || nl;
    const tok: Token = { t, l, n: canonical ?? l, s, e, sp, nl, k, cap, up, ss };
    if (virtual) tok.v = true;
    if (canonical === undefined && k === 'w') tok.n = this.canonical(tok);
    this.tokens.push(tok);
    this.sentenceStart = k === 'p' && (t === '.' || t === '!' || t === '?' || t === '...');
    return tok;
  }

  private canonical(tok: Token): string {
    const l = tok.l;
    if (Object.prototype.hasOwnProperty.call(ABBREVIATIONS, l)) return l;
    if (KNOWN.has(l) || l.length < 5 || l.length > 16 || !isAsciiAlpha(l)) return l;
    // A capitalised word inside a sentence is a name: leave it alone.
    if (tok.cap && !tok.up && !tok.ss) return l;
    if (tok.up && l.length < 6) return l;
    // The first words that need it are corrected (the cache only saves time: same answer either way).
    if (this.fuzzyLeft <= 0) return l;
    this.fuzzyLeft--;
    return correct(l);
  }
}

/** Splits plain text into tokens (linear time). */
export function tokenize(text: string): Token[] {
  const b = new Builder(text);
  const n = text.length;
  let i = 0;
  let sp = true;
  let nl = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      sp = true;
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      sp = true;
      nl = true;
      i++;
      continue;
    }
    if (isWordCode(c)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isWordCode(d) || d === 95 /* _ */) {
          j++;
          continue;
        }
        const next = j + 1 < n ? text.charCodeAt(j + 1) : 0;
        const prev = text.charCodeAt(j - 1);
        let ok = false;
        switch (d) {
          case 45: // -
          case 46: // .
            ok = isWordCode(next);
            break;
          case 47: // / joins 3/25 and p/u, not $2.10/mile
            ok = isWordCode(next) && isDigit(prev) === isDigit(next);
            break;
          case 58: // :
            ok = isDigit(prev) && isDigit(next);
            break;
          case 44: // , inside a number: 2,000
            ok =
              isDigit(prev) &&
              j + 3 < n + 1 &&
              isDigit(next) &&
              isDigit(text.charCodeAt(j + 2)) &&
              isDigit(text.charCodeAt(j + 3)) &&
              !isDigit(j + 4 < n ? text.charCodeAt(j + 4) : 0);
            break;
          case 38: // &
          case 43: // +
            ok = isLetterCode(prev) && isLetterCode(next);
            break;
          case 39: // '
            ok = isLetterCode(prev) && isLetterCode(next);
            break;
        }
        if (!ok) break;
        j++;
      }
      // "w/" is "with", "w/o" is "without".
      if (j - i === 1 && (text[i] === 'w' || text[i] === 'W') && text[j] === '/') {
        const o = text[j + 1] === 'o' && !isWordCode(j + 2 < n ? text.charCodeAt(j + 2) : 0);
        b.push(i, o ? j + 2 : j + 1, sp, nl, 'w', o ? 'without' : 'with');
        i = o ? j + 2 : j + 1;
        sp = false;
        nl = false;
        continue;
      }
      emitWord(b, text, i, j, sp, nl);
      i = j;
      sp = false;
      nl = false;
      continue;
    }
    // Punctuation.
    let e = i + 1;
    let canonical: string | undefined;
    if (c === 45 /* - */ || c === 61 /* = */) {
      let j = i;
      while (j < n && text.charCodeAt(j) === c && j - i < 3) j++;
      if (text.charCodeAt(j) === 62 /* > */) {
        e = j + 1;
        canonical = '->';
      } else if (c === 45 && j > i + 1) {
        e = j;
        canonical = '-';
      }
    } else if (c === 46 /* . */ && text.charCodeAt(i + 1) === 46) {
      while (e < n && text.charCodeAt(e) === 46 && e - i < 10) e++;
      canonical = '...';
    }
    const tok = b.push(i, e, sp, nl, 'p', canonical);
    if (canonical) tok.l = canonical;
    i = e;
    sp = false;
    nl = false;
  }
  // A message typed in capitals: capitals say nothing about names.
  const toks = b.tokens;
  let words = 0;
  let upper = 0;
  for (const t of toks) {
    if (t.k !== 'w' || t.l.length < 2) continue;
    words++;
    if (t.up) upper++;
  }
  if (words >= 3 && upper / words > 0.7) {
    for (const t of toks) {
      t.cap = false;
      t.up = false;
    }
  }
  return toks;
}

function emitWord(b: Builder, text: string, s: number, e: number, sp: boolean, nl: boolean): void {
  const w = text.slice(s, e);
  const apos = w.indexOf("'");
  if (apos > 0) {
    const lw = w.toLowerCase();
    if (lw.endsWith("n't") && w.length > 3) {
      let base = lw.slice(0, -3);
      const baseEnd = e - 3;
      if (base === 'ca') base = 'can';
      else if (base === 'wo') base = 'will';
      else if (base === 'sha') base = 'shall';
      b.push(s, baseEnd, sp, nl, 'w', base);
      b.push(baseEnd, e, false, false, 'w', 'not');
      return;
    }
    const suffix = lw.slice(apos);
    if (suffix === "'s" || CONTRACTIONS[suffix] !== undefined) {
      emitWord(b, text, s, s + apos, sp, nl);
      const before = b.tokens[b.tokens.length - 1]?.n ?? '';
      const isIs = suffix === "'s" && IS_BEFORE_S.has(before);
      const tok = b.push(s + apos, e, false, false, 'w', suffix === "'s" ? (isIs ? 'is' : "'s") : CONTRACTIONS[suffix]);
      tok.l = suffix;
      return;
    }
  }
  // Hyphenated words without digits are read as their parts ("on-time", "in-transit").
  if (w.indexOf('-') > 0 && !hasDigit(w)) {
    let start = s;
    let first = true;
    for (let k = s; k <= e; k++) {
      if (k === e || text.charCodeAt(k) === 45) {
        if (k > start) {
          pushWord(b, start, k, first ? sp : false, first ? nl : false);
          first = false;
        }
        start = k + 1;
      }
    }
    return;
  }
  pushWord(b, s, e, sp, nl);
}

function pushWord(b: Builder, s: number, e: number, sp: boolean, nl: boolean): void {
  const tok = b.push(s, e, sp, nl);
  const exp = Object.prototype.hasOwnProperty.call(ABBREVIATIONS, tok.l) ? ABBREVIATIONS[tok.l] : undefined;
  if (exp === undefined) return;
  const parts = exp.split(' ');
  tok.n = parts[0];
  for (let k = 1; k < parts.length; k++) b.push(e, e, false, false, 'w', parts[k], true);
}
