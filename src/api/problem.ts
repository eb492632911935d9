/**
 * Errors as RFC 9457 problem documents (`application/problem+json`). Every error the API can answer
 * has a stable `code`; this file is the one place that maps codes to HTTP statuses and titles.
 * No stack trace or internal message ever reaches a client.
 */
import { z } from 'zod';

export const PROBLEM_CODES = {
  invalid_request: { status: 400, title: 'The request is not valid' },
  unknown_field: { status: 400, title: 'The request names fields that do not exist' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  invalid_credentials: { status: 401, title: 'Wrong email or password' },
  csrf_failed: { status: 403, title: 'Missing or wrong CSRF token' },
  insufficient_scope: { status: 403, title: 'The API token lacks the scope this needs' },
  forbidden: { status: 403, title: 'Your role may not do this' },
  not_owner: {
    status: 403,
    title: 'Only the owners of this record, their managers or an admin may change it',
  },
  field_not_writable: {
    status: 403,
    title: 'Some fields may not be written by your role; nothing was changed',
  },
  not_found: { status: 404, title: 'Not found' },
  version_conflict: { status: 409, title: 'The record changed since you read it' },
  user_exists: { status: 409, title: 'That user already exists' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  invalid_value: { status: 422, title: 'A value is not acceptable' },
  unknown_user: { status: 422, title: 'No such user in this workspace' },
  policy_invalid: { status: 422, title: 'The policy does not check' },
  import_invalid: { status: 422, title: 'The import has problems; nothing was written' },
  precondition_required: { status: 428, title: 'Say which version you are changing (If-Match or version)' },
  rate_limited: { status: 429, title: 'Too many requests' },
  locked_out: { status: 429, title: 'Too many failed sign-ins; try again later' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'The store is not available' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export const PROBLEM_TYPE_PREFIX = 'urn:perennial:problem:';

export const ProblemSchema = z
  .looseObject({
    type: z.string().describe(`\`${PROBLEM_TYPE_PREFIX}<code>\``),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.enum(Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]]),
    instance: z.string().optional(),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem document; `code` is stable, `detail` is for people.',
  });

export type Problem = z.infer<typeof ProblemSchema>;

export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ProblemCode,
    detail?: string,
    readonly extras: Record<string, unknown> = {},
  ) {
    super(detail ?? PROBLEM_CODES[code].title);
    this.name = 'ApiError';
    this.statusCode = PROBLEM_CODES[code].status;
  }
}

export function problemDocument(
  code: ProblemCode,
  detail: string | undefined,
  instance: string | undefined,
  extras: Record<string, unknown> = {},
): Problem {
  const { status, title } = PROBLEM_CODES[code];
  return {
    ...extras,
    type: `${PROBLEM_TYPE_PREFIX}${code}`,
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...(instance === undefined ? {} : { instance }),
  };
}

/** OpenAPI response entries for the given problem statuses. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: Object.values(PROBLEM_CODES)
          .filter((entry) => entry.status === status)
          .map((entry) => entry.title)
          .join('; '),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );
}
