import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, CsvSplitter, CsvSyntaxError } from './csv-records.ts';

/** Splits `text` fed in chunks of the given sizes (the rest in one last chunk). */
function split(text: string, sizes: readonly number[] = []): { cells: string[]; line: number }[] {
  const splitter = new CsvSplitter(1_000_000);
  const out: CsvRecord[] = [];
  let at = 0;
  for (const size of sizes) {
    splitter.push(text.slice(at, at + size), out);
    at += size;
  }
  splitter.push(text.slice(at), out);
  splitter.end(out);
  return out;
}

/** What csv-parse, with the options the importer used before, makes of the same text. */
function oracle(text: string) {
  return (
    parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[]
  ).map(({ record, info }) => ({ cells: record, line: info.lines }));
}

const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é', '1') }),
  fc.string(),
);

describe('CsvSplitter', () => {
  it('splits like csv-parse, with the same line numbers, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat({ max: 7 }), { maxLength: 20 }),
        (rows, crlf, bom, sizes) => {
          // Rows of one empty cell are written as an empty line, which both skip.
          const table = rows.filter((row) => !(row.length === 1 && row[0] === ''));
          let text = stringify(table, { record_delimiter: crlf ? '\r\n' : '\n', quoted_match: /[\r\n]/ });
          if (bom) text = `\uFEFF${text}`;
          expect(split(text, sizes)).toEqual(oracle(text));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('skips empty lines and counts them', () => {
    expect(split('a,b\n\n1,"x\ny"\r\n\n3,4')).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['1', 'x\ny'], line: 4 },
      { cells: ['3', '4'], line: 6 },
    ]);
    expect(split('a,b\r1,2\r3,4')).toEqual(oracle('a,b\r1,2\r3,4'));
  });

  it.each([
    ['a,b\n1,"x"y\n', 2, /^Invalid Closing Quote: got "y" at line 2/],
    ['a,b\n1,x"y\n', 2, /^Invalid Opening Quote: a quote is found on field 1 at line 2, value is "x"/],
    ['a,b\n1,"xy\n2,3\n', 3, /^Quote Not Closed: .* at line 3/],
  ])('refuses %j, naming line %i', (text, line, message) => {
    let thrown: unknown;
    try {
      split(text, [3]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvSyntaxError);
    expect((thrown as CsvSyntaxError).line).toBe(line);
    expect((thrown as CsvSyntaxError).message).toMatch(message);
    expect(() => oracle(text)).toThrow();
  });

  it('refuses a record over the size limit', () => {
    const splitter = new CsvSplitter(10);
    expect(() => splitter.push('a\nxxxxxxxxxxxxxxx\n', [])).toThrow(/Max Record Size: .* at line 2/);
  });
});
