/** Zod schemas shared by the route files; they validate requests and generate the OpenAPI document. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { dateProblem } from '../domain/calendar.ts';
import { CursorError, DEFAULT_PAGE_SIZE, decodeCursor, MAX_PAGE_SIZE } from '../engine/queries/page.ts';
import { ApiError } from './problem.ts';

export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar date YYYY-MM-DD')
  .refine((text) => dateProblem(text) === null, 'not a real calendar date')
  .meta({ format: 'date' });

export const MoneySchema = z
  .object({ amount: z.string().describe('exact decimal in the currency'), currency: z.string().length(3) })
  .meta({ id: 'Money' });

export const PageQuerySchema = z.object({
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`page size, at most ${MAX_PAGE_SIZE}`),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  });
}

/** Query booleans arrive as text. */
export const QueryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Decodes a cursor for a list keyed by `arity` values, answering 400 when it is not one of ours. */
export function cursorKey(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    return [...decodeCursor(cursor, arity)];
  } catch (error) {
    if (error instanceof CursorError) throw new ApiError('invalid_cursor', error.message);
    throw error;
  }
}

/**
 * The version a change is based on: `If-Match: "7"` (an ETag we handed out) or a `version` field.
 * Neither → 428; both and different → 400.
 */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  const header = request.headers['if-match'];
  let fromHeader: number | undefined;
  if (typeof header === 'string') {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
    if (!match)
      throw new ApiError('invalid_request', 'If-Match must be an ETag this API handed out, e.g. "7"');
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new ApiError('invalid_request', 'If-Match and version disagree');
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined) {
    throw new ApiError(
      'precondition_required',
      'send If-Match with the ETag you read (or a version field), so a concurrent change is not overwritten',
    );
  }
  return version;
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('ETag', `"${version}"`);
}
