import type { Reply } from '../../domain/conversation/reply';

/**
 * What is wrong with the bot's answer to one message, as readable lines (none when it is fine): the
 * platform-neutral Reply shape, and no internals leaking into what people see.
 */

const PART_KINDS = new Set(['heading', 'text', 'fields', 'table', 'list', 'buttons', 'chart']);
const TONES = new Set([undefined, 'answer', 'question', 'confirm', 'refusal', 'error']);

/** Internals that must never reach a person: stack frames, driver and SQL error texts. */
const LEAKS: Array<[string, RegExp]> = [
  ['a stack trace', /\n\s+at [\w$.<>]+ \(|\bat .*\.(js|ts):\d+:\d+|node:internal/],
  ['an error class name', /\b(TypeError|RangeError|ReferenceError|SyntaxError|Sequelize\w*Error)\b/],
  ['JavaScript source', /\[native code\]|=> \{|function \w*\(\)/],
  ['SQL error text', /SQLITE_[A-Z]+|syntax error at or near|violates (unique|foreign key|not-null|check) constraint|duplicate key value|invalid input syntax|out of range for type|no such (table|column)|relation "[^"]+" does not exist|unterminated quoted string|invalid byte sequence|could not determine data type|operator does not exist/i],
];

/** Words that mean a value was never filled in; fine only when the person typed them. */
const PLACEHOLDERS: Array<[string, RegExp]> = [
  ['undefined', /\bundefined\b/],
  ['NaN', /\bNaN\b/],
  ['[object Object]', /\[object Object\]/],
  ['null', /\bnull\b/],
  ['Infinity', /\bInfinity\b/],
  ['Invalid Date', /Invalid Date/],
];

/** Replies that are the core swallowing an exception or losing its database: a bug for this input. */
const INTERNAL = /something went wrong on my side|database is unavailable/i;

/** Every string a person could see in a reply (its text and every part). */
export function visibleStrings(r: Reply): string[] {
  const out = [r.text];
  for (const p of r.parts ?? []) {
    switch (p.kind) {
      case 'heading':
      case 'text':
        out.push(p.text);
        break;
      case 'fields':
        for (const f of p.fields) out.push(f.label, f.value);
        break;
      case 'table':
        out.push(...p.columns, ...p.rows.flat(), p.caption ?? '');
        break;
      case 'list':
        out.push(...p.items);
        break;
      case 'buttons':
        out.push(...p.buttons.map((b) => b.label));
        break;
      case 'chart':
        out.push(p.chart.title, ...p.chart.labels, ...p.chart.series.map((s) => s.name));
        break;
    }
  }
  return out;
}

/** Problems with the text a person sees, given what they typed (an echo of their own "NaN" is fine). */
export function textProblems(seen: string, typed: string): string[] {
  const problems: string[] = [];
  for (const [what, re] of LEAKS) if (re.test(seen)) problems.push(`shows ${what}: ${excerpt(seen, re)}`);
  for (const [what, re] of PLACEHOLDERS) if (re.test(seen) && !new RegExp(re.source, 'i').test(typed)) problems.push(`shows "${what}": ${excerpt(seen, re)}`);
  if (INTERNAL.test(seen)) problems.push(`an internal error: ${excerpt(seen, INTERNAL)}`);
  return problems;
}

/** Problems with the core's answer to one inbound (`typed`: the message text or the button's id and value). */
export function replyProblems(replies: unknown, typed: string): string[] {
  if (!Array.isArray(replies)) return [`not a list of replies: ${typeof replies}`];
  if (!replies.length) return ['no reply'];
  const problems: string[] = [];
  for (const r of replies as Reply[]) {
    if (!r || typeof r.text !== 'string' || !r.text.trim()) problems.push('a reply without text');
    if (!Array.isArray(r?.parts) || !r.parts.length) problems.push('a reply without parts');
    else for (const p of r.parts) if (!PART_KINDS.has(p?.kind)) problems.push(`a part of kind ${JSON.stringify(p?.kind)}`);
    if (!TONES.has(r?.tone)) problems.push(`tone ${JSON.stringify(r?.tone)}`);
    if (r && typeof r.text === 'string' && Array.isArray(r.parts)) problems.push(...textProblems(visibleStrings(r).join('\n'), typed));
  }
  return problems;
}

function excerpt(s: string, re: RegExp): string {
  const m = re.exec(s);
  const at = m?.index ?? 0;
  return JSON.stringify(s.slice(Math.max(0, at - 60), at + 80));
}
