/**
 * Undoing platform markup (Slack mrkdwn, Teams HTML) and normalizing the characters people type,
 * so the parser reads plain text. Hand-written scanning only: every loop is linear in the input.
 */
import { wordTable } from './lexicon';

/** Messages longer than this are not parsed (they are not chat requests). */
export const MAX_INPUT_CHARS = 4000;

/** True when the text carries control characters or binary junk (then it is `unknown`). */
export function isJunk(text: string): boolean {
  let replacement = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32) {
      if (c !== 9 && c !== 10 && c !== 13) return true;
    } else if (c === 127 || (c >= 0x80 && c <= 0x9f)) {
      return true;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    } else if (c === 0xfffd || c === 0xfffe || c === 0xffff) {
      if (++replacement > 1) return true;
    }
  }
  return false;
}

const BLOCK_TAGS = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'hr']);
const INLINE_TAGS = new Set(['span', 'b', 'i', 'u', 's', 'em', 'strong', 'a', 'code', 'font', 'img', 'small', 'big', 'sup', 'sub', 'del', 'ins', 'mark', 'tbody', 'thead', 'emoji', 'attachment', 'systemeventmessage']);

function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

function isTagNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The tag name of `<name ...>` / `</name>` content, lower case, or '' when it is not a tag. */
function tagName(content: string): string {
  let i = content.startsWith('/') ? 1 : 0;
  const start = i;
  while (i < content.length && isTagNameChar(content.charCodeAt(i))) i++;
  if (i === start) return '';
  if (i < content.length) {
    const c = content[i];
    if (c !== ' ' && c !== '/' && c !== '\t' && c !== '\n') return '';
  }
  return content.slice(start, i).toLowerCase();
}

function isUrlLike(s: string): boolean {
  const l = s.slice(0, 12).toLowerCase();
  return l.startsWith('http://') || l.startsWith('https://') || l.startsWith('mailto:') || l.startsWith('tel:') || l.startsWith('www.') || s.includes('://');
}

function cutShort(label: string): boolean {
  const t = label.trimEnd();
  return t.endsWith('...') || t.endsWith('\u2026');
}

/** `<...>` constructs of Slack and Teams, replaced by what they read as. */
function undoAngleMarkup(text: string): string {
  if (text.indexOf('<') < 0) return text;
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, lt);
    // Find the closing '>' within a bounded window, with no '<' or newline before it.
    let j = lt + 1;
    const limit = Math.min(n, lt + 600);
    while (j < limit) {
      const c = text.charCodeAt(j);
      if (c === 62 /* > */ || c === 60 /* < */ || c === 10) break;
      j++;
    }
    if (j >= limit || text.charCodeAt(j) !== 62) {
      out += '<';
      i = lt + 1;
      continue;
    }
    const content = text.slice(lt + 1, j);
    i = j + 1;
    const first = content.charAt(0);
    if (first === '@') {
      out += ' ';
      continue;
    }
    if (first === '#') {
      const bar = content.indexOf('|');
      out += ' #' + (bar >= 0 ? content.slice(bar + 1) : content.slice(1)) + ' ';
      continue;
    }
    if (first === '!') {
      const bar = content.indexOf('|');
      if (content.startsWith('!date') && bar >= 0) out += content.slice(bar + 1);
      else out += ' ';
      continue;
    }
    if (isUrlLike(content)) {
      const bar = content.indexOf('|');
      let url = bar >= 0 ? content.slice(0, bar) : content;
      const label = bar >= 0 ? content.slice(bar + 1) : '';
      if (url.toLowerCase().startsWith('mailto:')) url = url.slice(7);
      out += label.trim() !== '' && !cutShort(label) ? label : url;
      continue;
    }
    const name = tagName(content);
    if (name === 'at') {
      if (content.startsWith('/')) {
        out += ' ';
        continue;
      }
      // Teams mention: drop the tag and the name inside it.
      const close = text.toLowerCase().indexOf('</at>', i);
      if (close >= 0 && close - i < 300) i = close + 5;
      out += ' ';
      continue;
    }
    if (BLOCK_TAGS.has(name)) {
      out += '\n';
      continue;
    }
    if (INLINE_TAGS.has(name)) {
      out += ' ';
      continue;
    }
    // Not markup: keep it as typed.
    out += '<' + content + '>';
  }
  return out;
}

const NAMED_ENTITIES: Record<string, string> = wordTable({
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '-', mdash: '-', hellip: '...',
  rsquo: "'", lsquo: "'", rdquo: '"', ldquo: '"', rarr: '->', bull: ' ', middot: ' ', times: 'x', euro: '\u20ac', pound: '\u00a3',
});

function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const amp = text.indexOf('&', i);
    if (amp < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, amp);
    // look for the ';' only a few characters ahead (entities are short): linear time on "&&&&..."
    let semi = -1;
    for (let k = amp + 1; k < text.length && k - amp <= 10; k++) {
      if (text.charCodeAt(k) === 59) {
        semi = k;
        break;
      }
    }
    if (semi < 0) {
      out += '&';
      i = amp + 1;
      continue;
    }
    const body = text.slice(amp + 1, semi);
    let rep: string | undefined;
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const digits = body.slice(hex ? 2 : 1);
      if (digits !== '' && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) {
        const cp = parseInt(digits, hex ? 16 : 10);
        if (cp >= 32 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) rep = String.fromCodePoint(cp);
        else rep = ' ';
      }
    } else {
      rep = NAMED_ENTITIES[body.toLowerCase()];
    }
    if (rep === undefined) {
      out += '&';
      i = amp + 1;
    } else {
      out += rep;
      i = semi + 1;
    }
  }
  return out;
}

/** Slack `*bold*`, `_italic_`, `~strike~`, `code`, `:emoji:` and `> quote` markers. */
function undoMrkdwn(text: string): string {
  let out = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (ch === '*' || ch === '`' || ch === '~') {
      out += ' ';
      continue;
    }
    if (ch === '_') {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 32;
      // Inside a word (ops_reports) it stays; at a word edge it is italics.
      if (isAlnumCode(prev) && isAlnumCode(next)) out += '_';
      else out += ' ';
      continue;
    }
    if (c === 58 /* : */) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
      if (!isAlnumCode(prev) || prev > 127) {
        // :emoji_name: (letters, digits, _ + - '), at most 50 characters, with a letter in it.
        let j = i + 1;
        let letter = false;
        while (j < n && j - i <= 50) {
          const d = text.charCodeAt(j);
          if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90)) letter = true;
          else if (!((d >= 48 && d <= 57) || d === 95 || d === 43 || d === 45 || d === 39)) break;
          j++;
        }
        if (j < n && j > i + 1 && letter && text.charCodeAt(j) === 58) {
          out += ' ';
          i = j;
          continue;
        }
      }
    }
    if (ch === '>' && (i === 0 || text[i - 1] === '\n') && (i + 1 >= n || text[i + 1] === ' ')) {
      out += ' ';
      continue;
    }
    out += ch;
  }
  return out;
}

/** Characters people paste from phones and word processors, to their plain forms. */
function normalizeChars(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (c < 128) {
      out += c === 9 ? ' ' : c === 13 ? '\n' : ch;
      continue;
    }
    switch (ch) {
      case '\u2018':
      case '\u2019':
      case '\u201b':
      case '\u2032':
      case '\u00b4':
      case '`':
        out += "'";
        break;
      case '\u201c':
      case '\u201d':
      case '\u201e':
      case '\u2033':
        out += '"';
        break;
      case '\u2010':
      case '\u2011':
      case '\u2012':
      case '\u2013':
      case '\u2014':
      case '\u2015':
      case '\u2212':
        out += '-';
        break;
      case '\u2192':
      case '\u21d2':
      case '\u27a1':
      case '\u27f6':
      case '\u2794':
      case '\u279c':
      case '\u2799':
      case '\u21e8':
        out += ' -> ';
        break;
      case '\u2026':
        out += '...';
        break;
      case '\u00d7':
        out += 'x';
        break;
      case '\u200b':
      case '\u200c':
      case '\u200d':
      case '\u2060':
      case '\ufeff':
      case '\u00ad':
        break;
      case '\u00a0':
      case '\u2028':
      case '\u2029':
      case '\u202f':
      case '\u205f':
      case '\u3000':
        out += c === 0x2028 || c === 0x2029 ? '\n' : ' ';
        break;
      default:
        if (c >= 0x2000 && c <= 0x200a) out += ' ';
        else out += ch;
    }
  }
  return out;
}

/** Characters that any of the steps below would change. */
const NEEDS_WORK = /[^\x20-\x7e\n]|[<&*_~:>`]/;

/**
 * Plain text of a chat message: markup undone, entities decoded, characters normalized.
 * The caller guarantees the length limit and the junk check.
 */
export function toPlainText(raw: string): string {
  // Most messages are plain ASCII without markup: nothing to undo.
  if (!NEEDS_WORK.test(raw)) return raw;
  let text = raw;
  // Compatibility forms first (full-width letters, ligatures), then Slack/Teams markup.
  if (/[^\x00-\x7f]/.test(text)) text = text.normalize('NFKC');
  if (/[^\x20-\x7e\n]/.test(text)) text = normalizeChars(text);
  // Slack escapes & < > in message text; Teams sends HTML. Angle markup first, then entities,
  // then once more for markup that was entity-encoded by a relay (&lt;at&gt;...).
  text = undoAngleMarkup(text);
  text = decodeEntities(text);
  if (text.indexOf('<') >= 0) text = undoAngleMarkup(text);
  if (/[^\x20-\x7e\n]/.test(text)) text = normalizeChars(text);
  if (/[*_~:>`]/.test(text)) text = undoMrkdwn(text);
  return text;
}
