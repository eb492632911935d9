import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FILES, type RawRow } from './canonical-files.ts';
import * as fields from './fast-fields.ts';
import { FALLBACK, type Field } from './fast-fields.ts';

const SAMPLES = [
  undefined,
  '',
  '0',
  '1',
  '-1',
  '5',
  '10',
  '11',
  '100',
  '150',
  '3650',
  '3651',
  '-3650',
  '007',
  '1.5',
  '99.9',
  '100.0',
  '1e3',
  ' 2',
  '12.',
  '.5',
  'NaN',
  'abc',
  'A-1',
  'a\nb',
  'x\ry',
  'x'.repeat(201),
  'y'.repeat(10_001),
  '2026-02-28',
  '2026-02-29',
  '2024-02-29',
  '1899-12-31',
  '2026-1-01',
  'true',
  'TRUE',
  'Yes',
  'no',
  'maybe',
  'usd',
  'USD',
  'JPY',
  'XXX',
  'EURO',
  'UTC',
  'Europe/Berlin',
  'Mars/Olympus',
  'nps',
  'CSAT',
  'won',
  'Pending',
  'high',
  'champion',
  'a@b.c',
  'not an email',
];

const FIELDS: [string, Field<unknown>][] = [
  ['identifier', fields.identifierField],
  ['optionalIdentifier', fields.optionalIdentifierField],
  ['requiredText', fields.requiredTextField],
  ['optionalText', fields.optionalTextField],
  ['requiredDate', fields.requiredDateField],
  ['optionalDate', fields.optionalDateField],
  ['optionalBoolean', fields.optionalBooleanField],
  ['requiredInteger(0, 10)', fields.requiredIntegerField(0, 10)],
  ['optionalInteger(-3650, 3650)', fields.optionalIntegerField(-3650, 3650)],
  ['optionalDecimal(0, 100)', fields.optionalDecimalField(0, 100)],
  ['requiredEnum', fields.requiredEnumField(['nps', 'csat'] as const)],
  ['optionalEnum', fields.optionalEnumField(['low', 'high'] as const)],
  ['currencyCode', fields.currencyCodeField],
  ['decimalAmount', fields.decimalAmountField],
  ['optionalDecimalAmount', fields.optionalDecimalAmountField],
  ['timezoneName', fields.timezoneNameField],
];

/** The fast path must accept exactly what zod accepts, with the same value. */
function expectSameAnswer(field: Field<unknown>, cell: string | undefined) {
  const zod = field.schema.safeParse(cell);
  const fast = field.fast(cell);
  if (zod.success) expect(fast, `cell ${JSON.stringify(cell)}`).toEqual(zod.data);
  else expect(fast, `cell ${JSON.stringify(cell)}`).toBe(FALLBACK);
}

describe('fast column fields', () => {
  it.each(FIELDS)('%s answers like its zod schema on edge cells', (_name, field) => {
    for (const cell of SAMPLES) expectSameAnswer(field, cell);
  });

  it.each(FIELDS)('%s answers like its zod schema on generated cells', (_name, field) => {
    fc.assert(
      fc.property(
        fc.option(
          fc.oneof(
            fc.string(),
            fc.integer({ min: -5000, max: 5000 }).map(String),
            fc.double({ min: -200, max: 200, noNaN: true }).map((n) => n.toFixed(2)),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
            fc.constantFrom(...SAMPLES.filter((cell) => cell !== undefined)),
          ),
          { nil: undefined },
        ),
        (cell) => expectSameAnswer(field, cell),
      ),
      { numRuns: 300 },
    );
  });
});

describe('fastParse of every canonical file', () => {
  it.each(CANONICAL_FILES.map((spec) => [spec.file, spec] as const))(
    '%s: a row is either refused to zod or read exactly as zod reads it',
    (_file, spec) => {
      const names = spec.columns.map((column) => column.name);
      fc.assert(
        fc.property(fc.tuple(...names.map(() => fc.constantFrom(...SAMPLES))), (cells) => {
          const raw: RawRow = Object.fromEntries(names.map((name, index) => [name, cells[index]]));
          const zod = spec.schema.safeParse(raw);
          const fast = spec.fastParse(raw as never);
          if (fast !== FALLBACK) expect(zod.success && zod.data).toEqual(fast);
          if (!zod.success) expect(fast).toBe(FALLBACK);
        }),
        { numRuns: 500 },
      );
    },
  );

  it('reads a valid contract row without zod, with its cross-column checks', () => {
    const spec = CANONICAL_FILES.find((file) => file.file === 'contracts.csv')!;
    const row: RawRow = {
      contract_id: 'C-1',
      account_id: 'A-1',
      start_date: '2026-01-01',
      end_date: '2027-01-01',
      arr: '1200.50',
      currency: 'usd',
      auto_renew: 'yes',
    };
    expect(spec.fastParse(row)).toEqual(spec.schema.parse(row));
    expect(spec.fastParse({ ...row, end_date: '2025-12-31' })).toBe(FALLBACK);
    expect(spec.fastParse({ ...row, currency: 'JPY' })).toBe(FALLBACK);
  });
});
