import fs from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { UserError } from '../../domain/errors';

/**
 * Streams the records of a CSV file (RFC 4180; UTF-8 with or without BOM; LF, CRLF or CR-only line
 * endings, detected from the data) without ever holding the file: each record with the physical
 * line it starts on (the header is line 1) and the bytes parsed so far. Records of any length are
 * passed on (the caller rejects a short row with a reason); blank lines are skipped.
 */
export interface CsvRecord {
  line: number;
  cells: string[];
  bytes: number;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number; empty_lines: number; bytes: number };
}

export async function* readCsv(file: string): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    // A stray quote inside an unquoted field (12" pipe) is kept as text, as spreadsheets do.
    relax_quotes: true,
    skip_empty_lines: true,
  });
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let prevLines = 0;
  let prevEmpty = 0;
  let prevEnd = 0;
  try {
    for await (const rec of parser as AsyncIterable<ParsedRecord>) {
      const { lines, empty_lines: empty, bytes } = rec.info;
      const blank = empty - prevEmpty;
      // A record starts after the previous one and the blank lines between them.
      const line = prevEnd + 1 + blank;
      // It ends on the same line unless a quoted field holds line breaks (csv-parse counts a CRLF
      // inside quotes as two lines, so those are counted here).
      prevEnd = lines - prevLines - blank === 1 ? line : line + lineBreaksIn(rec.record);
      prevLines = lines;
      prevEmpty = empty;
      yield { line, cells: rec.record, bytes };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const where = (e as CsvError & { lines?: number }).lines;
      throw new UserError(
        `${file}${where ? ` line ${where}` : ''}: not valid CSV (${e.message.replace(/\s+/g, ' ')}); the rows before it were imported, ` +
          'fix the file and import it again',
      );
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'ENOENT' || err?.code === 'EACCES' || err?.code === 'EISDIR') throw new UserError(`cannot read ${file}: ${err.message}`);
    throw e;
  } finally {
    input.destroy();
  }
}

function lineBreaksIn(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    if (c.indexOf('\n') < 0 && c.indexOf('\r') < 0) continue;
    n += (c.match(/\r\n|\r|\n/g) ?? []).length;
  }
  return n;
}
