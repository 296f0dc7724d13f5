import { parse } from 'csv-parse/sync';
import { UserError } from '../../domain/errors';
import { readCsvChunks } from '../../data/import/csvReader';
import { mulberry32 } from '../../domain/seed/prng';
import { tempDir } from './helpers';

/**
 * The importer's CSV reader against csv-parse (the reference dialect: relax_quotes,
 * relax_column_count, skip_empty_lines) on random texts made of the characters that matter, read in
 * chunks of every small size so records, quotes, CRLFs and UTF-8 characters are cut anywhere.
 */
const files = tempDir();
afterAll(() => files.remove());

async function read(file: string, readBytes?: number): Promise<{ line: number; cells: string[] }[]> {
  const out: { line: number; cells: string[] }[] = [];
  for await (const chunk of readCsvChunks(file, readBytes)) for (const r of chunk) out.push({ line: r.line, cells: r.cells });
  return out;
}

function reference(text: string): string[][] | 'error' {
  try {
    return parse(text, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch {
    return 'error';
  }
}

const PIECES = ['a', 'b', 'é', ',', ',', '"', '"', ' ', '\n', '\r\n', '\r'];

describe('CSV reader', () => {
  it('reads what csv-parse reads, whatever the chunking', async () => {
    const rnd = mulberry32(42);
    for (let n = 0; n < 1500; n++) {
      let text = rnd() < 0.1 ? '\uFEFF' : '';
      const len = Math.floor(rnd() * 30);
      for (let i = 0; i < len; i++) text += PIECES[Math.floor(rnd() * PIECES.length)];
      const file = files.write('fuzz.csv', text);
      const expected = reference(text);
      for (const size of [1, 2, 3, 5, 1 << 20]) {
        const got = await read(file, size).then((rs) => rs.map((r) => r.cells), (e: unknown) => (e instanceof UserError ? 'error' : e));
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          throw new Error(`text ${JSON.stringify(text)} in chunks of ${size}: got ${JSON.stringify(got)}, csv-parse ${JSON.stringify(expected)}`);
        }
      }
    }
  });

  it('numbers records by the physical line they start on', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['h1,h2', '', `"x${eol}y${eol}z",1`, 'b,2', '', '', '"c""",3', 'd'].join(eol);
      const file = files.write('lines.csv', text);
      for (const size of [1, 4, 1 << 20]) {
        expect(await read(file, size)).toEqual([
          { line: 1, cells: ['h1', 'h2'] },
          { line: 3, cells: [`x${eol}y${eol}z`, '1'] },
          { line: 6, cells: ['b', '2'] },
          { line: 9, cells: ['c"', '3'] },
          { line: 10, cells: ['d'] },
        ]);
      }
    }
  });

  it('names the line of a quote never closed', async () => {
    const file = files.write('open.csv', 'a,b\n1,2\n3,"4\n5,6\n');
    await expect(read(file)).rejects.toThrow(/open\.csv line 3: not valid CSV \(Quote Not Closed/);
  });
});
