/**
 * The canonical files' column types, each as its zod schema (`csv-fields.ts`, the source of truth and
 * of every error message) beside a plain function that accepts the same plainly valid cells with the
 * same result and gives up (`FALLBACK`) on anything else. The importer runs the plain functions per
 * row and calls zod only for a row one of them gave up on, so a bad row is reported exactly as zod
 * says, while a good row skips zod's per-object work. `fast-fields.test.ts` holds both to the same
 * answers.
 */
import type { z } from 'zod';
import { dateProblem } from '../domain/calendar.ts';
import {
  currencyCode,
  decimalAmount,
  identifier,
  optionalBoolean,
  optionalDate,
  optionalDecimal,
  optionalEnum,
  optionalIdentifier,
  optionalInteger,
  optionalText,
  requiredDate,
  requiredEnum,
  requiredInteger,
  requiredText,
  timezoneName,
} from './csv-fields.ts';

export const FALLBACK: unique symbol = Symbol('fallback to zod');
export type Fallback = typeof FALLBACK;

/** A cell as the importer hands it over: trimmed text, `undefined` when empty. */
export type Cell = string | undefined;

export type Field<T> = {
  schema: z.ZodType<T>;
  fast: (cell: Cell) => T | Fallback;
};

export const field = <T>(schema: z.ZodType<T>, fast: (cell: Cell) => T | Fallback): Field<T> => ({
  schema: schema as z.ZodType<T>,
  fast,
});

const LINE_BREAK = /[\r\n]/;
const WHOLE = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const AMOUNT = /^\d+(\.\d+)?$/;
const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const fastIdentifier = (cell: Cell) =>
  cell === undefined || cell.length > 200 || LINE_BREAK.test(cell) ? FALLBACK : cell;
const fastText = (cell: Cell) => (cell === undefined || cell.length > 10_000 ? FALLBACK : cell);
const fastDate = (cell: Cell) => (cell === undefined || dateProblem(cell) !== null ? FALLBACK : cell);
const optional =
  <T>(fast: (cell: Cell) => T | Fallback) =>
  (cell: Cell): T | null | Fallback =>
    cell === undefined ? null : fast(cell);

function fastInteger(min: number, max: number) {
  return (cell: Cell): number | Fallback => {
    if (cell === undefined || !WHOLE.test(cell)) return FALLBACK;
    const number = Number(cell);
    return number < min || number > max ? FALLBACK : number;
  };
}

function fastEnum<const T extends readonly string[]>(values: T) {
  const allowed = new Set<string>(values);
  return (cell: Cell): T[number] | Fallback => {
    if (cell === undefined) return FALLBACK;
    const normalized = cell.toLowerCase();
    return allowed.has(normalized) ? (normalized as T[number]) : FALLBACK;
  };
}

const knownZones = new Map<string, boolean>();
function isTimeZone(name: string): boolean {
  let known = knownZones.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(name, known);
  }
  return known;
}

export const identifierField = field(identifier, fastIdentifier);
export const optionalIdentifierField = field(optionalIdentifier, optional(fastIdentifier));
export const requiredTextField = field(requiredText, fastText);
export const optionalTextField = field(optionalText, optional(fastText));
export const requiredDateField = field(requiredDate, fastDate);
export const optionalDateField = field(optionalDate, optional(fastDate));
export const optionalBooleanField = field(optionalBoolean, (cell) => {
  if (cell === undefined) return null;
  const word = cell.toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : FALLBACK;
});
export const requiredIntegerField = (min: number, max: number) =>
  field(requiredInteger(min, max), fastInteger(min, max));
export const optionalIntegerField = (min: number, max: number) =>
  field(optionalInteger(min, max), optional(fastInteger(min, max)));
export const optionalDecimalField = (min: number, max: number) =>
  field(optionalDecimal(min, max), (cell) => {
    if (cell === undefined) return null;
    if (!DECIMAL.test(cell)) return FALLBACK;
    const number = Number(cell);
    return number < min || number > max ? FALLBACK : number;
  });
export const requiredEnumField = <const T extends readonly string[]>(values: T) =>
  field(requiredEnum(values), fastEnum(values));
export const optionalEnumField = <const T extends readonly string[]>(values: T) =>
  field(optionalEnum(values), optional(fastEnum(values)));
export const currencyCodeField = field(currencyCode, (cell) => {
  if (cell === undefined) return FALLBACK;
  const code = cell.toUpperCase();
  return CURRENCIES.has(code) && /^[A-Z]{3}$/.test(code) ? code : FALLBACK;
});
const fastAmount = (cell: Cell) => (cell === undefined || !AMOUNT.test(cell) ? FALLBACK : cell);
export const decimalAmountField = field(decimalAmount, fastAmount);
export const optionalDecimalAmountField = field(
  decimalAmount.optional().transform((value) => value ?? null),
  optional(fastAmount),
);
export const timezoneNameField = field(timezoneName, (cell) => {
  if (cell === undefined) return 'UTC';
  return isTimeZone(cell) ? cell : FALLBACK;
});
