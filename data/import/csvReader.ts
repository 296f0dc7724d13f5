import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../../domain/errors';

/**
 * Streams the records of a CSV file (RFC 4180; UTF-8 with or without BOM; LF, CRLF or CR-only line
 * endings) without ever holding the file: each record with the physical line it starts on (the
 * header is line 1). Records of any length are passed on (the caller rejects a short row with a
 * reason); empty lines are skipped.
 *
 * Hand-written rather than csv-parse: at a million rows the generic parser and one promise per record
 * cost more than validating and storing the rows. Records come in arrays, one per chunk read, and a
 * line without quotes is cut with indexOf/split. The dialect is csv-parse's with `relax_quotes`,
 * `relax_column_count` and `skip_empty_lines` (test/import/csvReader.test.ts compares the two):
 *  - the record delimiter is the first of CRLF, LF or CR met outside quotes, then only that one;
 *  - a quote opens a quoted field only as the field's first character (`12" pipe` is text);
 *  - `""` inside quotes is one quote; a closing quote followed by anything but a delimiter makes the
 *    field plain text, quotes included (`"a"b` reads `"a"b`);
 *  - a quote still open at the end of the file is an error ("Quote Not Closed").
 * Line numbers count every physical line break (CRLF, CR or LF), inside quoted fields too.
 */
export interface CsvRecord {
  line: number;
  cells: string[];
  /** Bytes of the file read so far (for progress). */
  bytes: number;
}

/**
 * Text read at a time. Small on purpose: a chunk's records are all alive until the importer has
 * taken them, and a large chunk's survive V8's young-generation collections (a megabyte costs about
 * 60% more CPU than 64 KB, mostly in the garbage collector).
 */
const READ_BYTES = 64 << 10;
/** A record longer than this is a quote never closed, not data: stop before it fills the memory. */
const MAX_RECORD_CHARS = 64 << 20;

type Delimiter = '\n' | '\r\n' | '\r';

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Record-by-record state over the text read so far. */
class CsvScanner {
  private delimiter: Delimiter | undefined;
  /** Line of the next record (1-based). */
  private line = 1;
  private bomChecked = false;

  /**
   * Parses the complete records of `text` (the rest of the previous chunk followed by the new one);
   * returns them and where the unfinished tail starts. At the end of the file (`eof`) everything is taken.
   */
  scan(text: string, eof: boolean, bytes: number): { records: CsvRecord[]; rest: number } {
    const records: CsvRecord[] = [];
    let pos = 0;
    if (!this.bomChecked && (text.length > 0 || eof)) {
      this.bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) pos = 1;
    }
    const len = text.length;
    // Next position of each special character at or after pos (len: none).
    let quote = -1;
    let cr = -1;
    let lf = -1;
    while (pos < len) {
      const d = this.delimiter;
      if (d !== undefined) {
        if (quote < pos) quote = indexOr(text, '"', pos, len);
        if (cr < pos) cr = indexOr(text, '\r', pos, len);
        if (lf < pos) lf = indexOr(text, '\n', pos, len);
        // Fast path: a line holding no quote and no line break other than its delimiter.
        let end = -1;
        let next = -1;
        if (d === '\n') {
          if (lf < len && quote > lf && cr > lf) (end = lf), (next = lf + 1);
        } else if (d === '\r\n') {
          if (cr + 1 < len && text.charCodeAt(cr + 1) === 10 && quote > cr && lf === cr + 1) (end = cr), (next = cr + 2);
        } else if (cr < len && quote > cr && lf > cr) {
          (end = cr), (next = cr + 1);
        }
        if (end >= 0) {
          if (end > pos) records.push({ line: this.line, cells: text.slice(pos, end).split(','), bytes });
          this.line++;
          pos = next;
          continue;
        }
      }
      const r = this.slowRecord(text, pos, eof);
      if (r === undefined) break;
      if (r.cells) records.push({ line: this.line, cells: r.cells, bytes });
      this.line += r.lineBreaks;
      pos = r.next;
    }
    if (pos < len && len - pos > MAX_RECORD_CHARS) {
      throw new CsvSyntaxError(`a record of more than ${MAX_RECORD_CHARS >> 20} M characters starts at line ${this.line} (a quote never closed?)`, this.line);
    }
    return { records, rest: pos };
  }

  /**
   * One record, character by character, from `start`. undefined: the text ends before the record does
   * (more is needed); cells undefined: an empty line, skipped.
   */
  private slowRecord(text: string, start: number, eof: boolean): { cells?: string[]; next: number; lineBreaks: number } | undefined {
    const len = text.length;
    const cells: string[] = [];
    let field = '';
    let quoting = false;
    let wasQuoting = false;
    let lineBreaks = 0;
    let i = start;
    for (;;) {
      if (i >= len) {
        if (!eof) return undefined;
        if (quoting) throw new CsvSyntaxError(`Quote Not Closed: the quote opened on line ${this.line} is never closed`, this.line);
        if (cells.length === 0 && field === '' && !wasQuoting) return { next: i, lineBreaks };
        cells.push(field);
        return { cells, next: i, lineBreaks };
      }
      const c = text.charCodeAt(i);
      if (quoting) {
        if (c === 34) {
          // Looking past the quote needs the next character (and the one after a CR).
          if (!eof && i + 2 >= len) return undefined;
          const n = text.charCodeAt(i + 1);
          if (n === 34) {
            field += '"';
            i += 2;
            continue;
          }
          quoting = false;
          wasQuoting = true;
          if (!(i + 1 >= len || n === 44 || this.delimiterAt(text, i + 1, eof) > 0)) field = `"${field}"`;
          i++;
          continue;
        }
        // Up to the next quote at once, counting its line breaks (CRLF is one).
        const q = text.indexOf('"', i);
        const stop = q < 0 ? len : q;
        const part = text.slice(i, stop);
        if (part.indexOf('\n') >= 0 || part.indexOf('\r') >= 0) lineBreaks += countLineBreaks(text, i, stop);
        field += part;
        i = stop;
        continue;
      }
      if (c === 34 && field.length === 0) {
        quoting = true;
        i++;
        continue;
      }
      if (c === 44) {
        cells.push(field);
        field = '';
        wasQuoting = false;
        i++;
        continue;
      }
      if (c === 13 || c === 10) {
        if (c === 13 && !eof && i + 1 >= len) return undefined;
        const dl = this.delimiterAt(text, i, eof);
        if (!(c === 10 && i > start && text.charCodeAt(i - 1) === 13)) lineBreaks++;
        if (dl > 0) {
          if (cells.length === 0 && field === '' && !wasQuoting) return { next: i + dl, lineBreaks };
          cells.push(field);
          return { cells, next: i + dl, lineBreaks };
        }
      }
      field += text[i];
      i++;
    }
  }

  /** Length of the record delimiter at i (0: none), discovering it on the first line break met outside quotes. */
  private delimiterAt(text: string, i: number, eof: boolean): number {
    const c = text.charCodeAt(i);
    if (c !== 13 && c !== 10) return 0;
    const crlf = c === 13 && text.charCodeAt(i + 1) === 10;
    if (this.delimiter === undefined) {
      if (c === 13 && i + 1 >= text.length && !eof) return 0;
      this.delimiter = crlf ? '\r\n' : c === 13 ? '\r' : '\n';
    }
    if (this.delimiter === '\r\n') return crlf ? 2 : 0;
    return (this.delimiter === '\n') === (c === 10) ? 1 : 0;
  }
}

/** Line breaks in text[from, to): CRLF, CR or LF each count one (a CRLF split at `from` counts once, before). */
function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 || (c === 10 && !(i > 0 && text.charCodeAt(i - 1) === 13))) n++;
  }
  return n;
}

function indexOr(text: string, ch: string, from: number, none: number): number {
  const i = text.indexOf(ch, from);
  return i < 0 ? none : i;
}

/** The records of the file, an array per chunk read (at most about a megabyte of text each). */
export async function* readCsvChunks(file: string, readBytes = READ_BYTES): AsyncGenerator<CsvRecord[]> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const scanner = new CsvScanner();
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(readBytes);
  let rest = '';
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, readBytes, null);
      const eof = bytesRead === 0;
      bytes += bytesRead;
      const text = rest + (eof ? decoder.end() : decoder.write(buffer.subarray(0, bytesRead)));
      const { records, rest: at } = scanner.scan(text, eof, bytes);
      rest = text.slice(at);
      if (records.length) yield records;
      if (eof) return;
    }
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      throw new UserError(`${file} line ${e.line}: not valid CSV (${e.message}); the rows before it were imported, fix the file and import it again`);
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'EISDIR' || err?.code === 'EACCES') throw new UserError(`cannot read ${file}: ${err.message}`);
    throw e;
  } finally {
    await handle.close();
  }
}

/** The records one by one (for callers that do not need the speed). */
export async function* readCsv(file: string): AsyncGenerator<CsvRecord> {
  for await (const chunk of readCsvChunks(file)) yield* chunk;
}
