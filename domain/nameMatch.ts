import { nameKey } from './names';

/** Edit distance (Levenshtein) between two short strings. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Words of a name without corporate suffixes, so "Acme" and "ACME Corp." compare as the same firm. */
const SUFFIXES = new Set(['inc', 'corp', 'corporation', 'co', 'company', 'llc', 'ltd', 'limited', 'gmbh', 'sa', 'ag', 'plc', 'group', 'the']);
function core(s: string): string {
  return nameKey(s)
    .replace(/[^\p{L}\p{N}\s&]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w && !SUFFIXES.has(w))
    .join(' ');
}

export interface NameResolution {
  /** The stored name the input clearly means (same key, or the only name with the same core words). */
  match?: string;
  /** Close names, best first, when there is no clear match ("did you mean …?"). */
  suggestions: string[];
}

/**
 * Which known name a person meant. A clear match is the same name ignoring case or (unless strict)
 * the only name whose words without Inc/Corp/LLC… are the same or start with the input's; anything
 * else offers the nearest names by edit distance, never silently picks one.
 */
export function resolveName(input: string, known: string[], opts: { strict?: boolean; max?: number } = {}): NameResolution {
  const maxSuggestions = opts.max ?? 3;
  const key = nameKey(input);
  if (!key) return { suggestions: [] };
  const exact = known.find((n) => nameKey(n) === key);
  if (exact) return { match: exact, suggestions: [] };
  const c = core(input);
  if (c) {
    const same = known.filter((n) => core(n) === c);
    const prefixed = known.filter((n) => core(n).startsWith(`${c} `) && !same.includes(n));
    const close = [...same, ...prefixed];
    // A write (strict) never takes a name the person did not type: it asks "did you mean …?".
    if (!opts.strict && close.length === 1 && c.length >= 3) return { match: close[0], suggestions: [] };
    if (close.length) return { suggestions: close.slice(0, maxSuggestions) };
  }
  const scored = known
    .map((n) => {
      const nc = core(n) || nameKey(n);
      const d = Math.min(editDistance(c || key, nc), editDistance(key, nameKey(n)));
      return { n, d, rel: d / Math.max(nc.length, 1) };
    })
    .filter((x) => x.rel <= 0.5 || x.d <= 2)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return { suggestions: scored.slice(0, maxSuggestions).map((x) => x.n) };
}
