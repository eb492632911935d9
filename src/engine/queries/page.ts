/**
 * Keyset pagination shared by the list queries: a page is `limit` rows after the cursor, and the
 * cursor is the last row's sort key and id, opaque to clients (base64url JSON). Rows inserted or
 * changed while a client pages do not shift the pages it has not read yet.
 */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export type Page<T> = { items: T[]; nextCursor: string | null };

export type CursorKey = readonly (string | number)[];

export class CursorError extends Error {
  readonly code = 'invalid_cursor';
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor made for `arity` key parts; throws CursorError on anything else. */
export function decodeCursor(cursor: string, arity: number): CursorKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === arity &&
      value.every((part) => typeof part === 'string' || typeof part === 'number')
    ) {
      return value as CursorKey;
    }
  } catch {
    // fall through
  }
  throw new CursorError('the cursor is not one this list handed out');
}

/** Cuts a `limit + 1` row fetch into a page, with the cursor of its last row when more follow. */
export function toPage<Row, T>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => CursorKey,
  map: (row: Row) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

/** Small helper for building parameterised SQL: `p(value)` appends a parameter and returns `$n`. */
export function params(): { list: unknown[]; p: (value: unknown) => string } {
  const list: unknown[] = [];
  return {
    list,
    p(value) {
      list.push(value);
      return `$${list.length}`;
    },
  };
}

export function toIso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
