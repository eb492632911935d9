/**
 * API fuzzing: requests generated from the OpenAPI description (`/api/openapi.json`) — every
 * operation, with path parameters, query strings, bodies and headers drawn from the operation's own
 * schemas and then bent (wrong types, unknown fields, missing fields, huge and odd strings, broken
 * JSON, wrong content types, stale or malformed If-Match and CSRF headers), sent anonymously, with
 * garbage credentials, with API tokens of every role in two workspaces and with a signed-in session.
 * Every answer must be below 500, carry no stack trace or internal path, and every 4xx must be a
 * problem document whose `code` is a known one with the status it maps to — except the pages for
 * people behind links in customer emails (tag `customer links`), which answer in HTML.
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../src/api/problem.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { buildTestApp, type Person, type SeededTenant, seedTenant } from '../api-fixture.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { FULL, report, size } from './support.ts';

const REQUESTS = size(300, 10_000);
const PASSWORD = 'correct horse battery staple';
/** Characters a header value cannot carry. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const HEADER_UNSAFE = /[\r\n\u0000]/g;
const STACK = /\n\s+at |\(file:\/\/|node_modules|\.ts:\d+:\d+|\.js:\d+:\d+/;

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};
type Parameter = {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
};
type Operation = {
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | null;
  /** A page for people (customer links in emails), answered in HTML, errors included. */
  page: boolean;
};
type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        tags?: string[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
};

let test: TestStore;
let app: ApiApp;
let t1: SeededTenant;
let t2: SeededTenant;
let session: { cookie: string; csrf: string };
let operations: Operation[];
let components: Record<string, Schema> = {};

const oddString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    '99999999999999999999999',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    '../../etc/passwd',
    '%00',
    '\u0000',
    "'; DROP TABLE accounts; --",
    '<script>alert(1)</script>',
    '2026-02-30',
    '2026-13-01',
    '9999-12-31',
    'Zoë 東京 🎉',
    '\uFFFF\uD800',
    'me',
    'C-1',
    'ZZ-C-1',
    'A-1',
    'U-csm',
    'U-adm',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.constant('x'.repeat(5_000)),
);

function resolve(schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let i = 0; i < 10 && current.$ref; i += 1) {
    const name = current.$ref.split('/').pop()!;
    current = components[name] ?? {};
  }
  return current;
}

/** A value that fits the schema (mostly), depth-limited. */
function fromSchema(input: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  if (depth > 4) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants && variants.length > 0)
    return fc.oneof(...variants.map((variant) => fromSchema(variant, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return fromSchema(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'date') {
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      }
      if (schema.format === 'date-time') {
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString());
      }
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'uri') return fc.webUrl();
      return fc.oneof(
        fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 60) }),
        oddString,
      );
    case 'integer':
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 }),
        fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 - 1),
      );
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
    case 'object': {
      const properties = schema.properties ?? {};
      const keys = Object.keys(properties);
      if (keys.length === 0)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(keys.map((key) => [key, fromSchema(properties[key], depth + 1)])), {
        requiredKeys: keys.filter((key) => required.has(key)),
      });
    }
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A schema value, or that value bent: a wrong type, an unknown field, a field dropped. */
function bent(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const value = fromSchema(schema);
  return fc.oneof(
    { weight: 5, arbitrary: value },
    {
      weight: 2,
      arbitrary: fc
        .tuple(value, fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }))
        .map(([v, key, extra]) =>
          v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v, [key || 'tenantId']: extra } : v,
        ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(value, fc.nat()).map(([v, n]) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
        const keys = Object.keys(v);
        if (keys.length === 0) return v;
        const copy: Record<string, unknown> = { ...v };
        delete copy[keys[n % keys.length]!];
        return copy;
      }),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

type Auth =
  | 'none'
  | 'garbage-bearer'
  | 'garbage-cookie'
  | 'session'
  | 'session-no-csrf'
  | `t1:${Person}`
  | `t2:${Person}`;
const PEOPLE_KEYS: Person[] = ['adm', 'mgr', 'csm', 'csm2', 'sales', 'spec', 'fin', 'exec', 'view'];

function requestFor(operation: Operation): fc.Arbitrary<{ options: InjectOptions; auth: Auth }> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const idValue = fc.oneof(
    fc.constantFrom(
      'C-1',
      'C-2',
      'A-1',
      'A-2',
      'U-csm',
      'U-adm',
      'ZZ-C-1',
      'ZZ-A-1',
      '1',
      '2',
      '3',
      '999999999999',
    ),
    fc.constant(null).map(() => String(t1.taskId)),
    fc.constant(null).map(() => String(t2.otherTaskId)),
    oddString,
  );
  const auth: fc.Arbitrary<Auth> = fc.oneof(
    fc.constantFrom<Auth>('none', 'garbage-bearer', 'garbage-cookie', 'session', 'session-no-csrf'),
    fc.constantFrom(...PEOPLE_KEYS).map((person) => `t1:${person}` as Auth),
    fc.constantFrom(...PEOPLE_KEYS).map((person) => `t2:${person}` as Auth),
  );
  const body: fc.Arbitrary<{ payload: string | undefined; contentType: string | undefined }> = fc.oneof(
    {
      weight: 6,
      arbitrary: bent(operation.body ?? { type: 'object' }).map((v) => ({
        payload: JSON.stringify(v),
        contentType: 'application/json',
      })),
    },
    { weight: 1, arbitrary: fc.constant({ payload: undefined, contentType: undefined }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{', '{"a":', 'null', '""', '[1,2', '\u0000', 'a=b&c=d')
        .map((payload) => ({ payload, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'application/xml',
          ),
          fc.string({ maxLength: 30 }),
        )
        .map(([contentType, payload]) => ({ payload, contentType })),
    },
  );
  return fc
    .record({
      params: fc.tuple(...pathParams.map(() => idValue)),
      rawPath: fc.boolean(),
      query: fc.tuple(
        ...queryParams.map((p) =>
          fc.option(fc.oneof(fromSchema(p.schema).map(String), oddString), { nil: undefined }),
        ),
      ),
      extraQuery: fc.option(fc.tuple(fc.string({ maxLength: 8 }), oddString), { nil: undefined }),
      body,
      ifMatch: fc.option(
        fc.oneof(fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '"-1"', '"abc"', '1'), oddString),
        { nil: undefined },
      ),
      csrf: fc.option(oddString, { nil: undefined }),
      auth,
    })
    .map(({ params, rawPath, query, extraQuery, body: chosen, ifMatch, csrf, auth: who }) => {
      let url = operation.path;
      pathParams.forEach((p, i) => {
        const value = params[i]!;
        url = url.replace(`{${p.name}}`, rawPath ? value.replace(/[?#\s]/g, '') : encodeSegment(value));
      });
      const search = new URLSearchParams();
      queryParams.forEach((p, i) => {
        if (query[i] !== undefined) search.set(p.name, query[i]!);
      });
      if (extraQuery) search.set(extraQuery[0] || 'x', extraQuery[1]);
      const headers: Record<string, string> = {};
      if (chosen.contentType && chosen.payload !== undefined) headers['content-type'] = chosen.contentType;
      if (ifMatch !== undefined) headers['if-match'] = ifMatch.replace(HEADER_UNSAFE, '');
      const options: InjectOptions = {
        method: operation.method.toUpperCase() as InjectOptions['method'],
        url: search.size > 0 ? `${url}?${search.toString()}` : url,
        headers,
        ...(chosen.payload !== undefined && operation.method !== 'get' ? { payload: chosen.payload } : {}),
      };
      applyAuth(headers, who, csrf);
      return { options, auth: who };
    });
}

/** Percent-encodes a path segment byte by byte (lone surrogates become U+FFFD, as a browser sends them). */
function encodeSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

function applyAuth(headers: Record<string, string>, who: Auth, csrf: string | undefined): void {
  const safe = (text: string) => text.replace(/[^\x20-\x7e]/g, '');
  if (who === 'garbage-bearer') headers.authorization = `Bearer prn_${safe(csrf ?? 'nope')}`;
  else if (who === 'garbage-cookie') headers.cookie = `perennial_session=${safe(csrf ?? 'x')}`;
  else if (who === 'session' || who === 'session-no-csrf') {
    headers.cookie = session.cookie;
    if (who === 'session') headers['x-csrf-token'] = session.csrf;
    else if (csrf !== undefined) headers['x-csrf-token'] = safe(csrf);
  } else if (who !== 'none') {
    const [tenant, person] = who.split(':') as ['t1' | 't2', Person];
    headers.authorization = `Bearer ${(tenant === 't1' ? t1 : t2).tokens[person]}`;
  }
}

/** Undo what fuzzed writes did to identities, so later requests still run authenticated. */
async function restoreIdentities(): Promise<void> {
  await test.store.execute('UPDATE users SET disabled = false');
  await test.store.execute('UPDATE api_tokens SET revoked_at = NULL');
  await test.store.execute('DELETE FROM login_failures');
}

beforeAll(async () => {
  test = await openTestStore();
  t1 = await seedTenant(test.store, 't1', '');
  t2 = await seedTenant(test.store, 't2', 'ZZ-');
  await test.store.execute(
    "UPDATE users SET password_hash = $1 WHERE tenant_id = 't1' AND user_id = 'U-adm'",
    [await hashPassword(PASSWORD)],
  );
  app = await buildTestApp(test.store);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: t1.email('adm'), password: PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const cookies = login.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  session = { cookie: cookies, csrf: (login.json() as { csrfToken: string }).csrfToken };
  const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApi;
  components = spec.components?.schemas ?? {};
  operations = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    if (!path.startsWith('/api/v1')) continue;
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({
        method,
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema ?? null,
        page: (operation.tags ?? []).includes('customer links'),
      });
    }
  }
});

afterAll(async () => {
  await app?.close();
  await test?.close();
});

describe('API fuzzing from the OpenAPI description', () => {
  it(`${REQUESTS} generated requests: no 5xx, no stack traces, every 4xx a problem document`, {
    timeout: FULL ? 3_600_000 : 120_000,
  }, async () => {
    expect(operations.length).toBeGreaterThan(20);
    const statuses = new Map<number, number>();
    const covered = new Set<string>();
    let sent = 0;
    const started = Date.now();
    const request = fc
      .constantFrom(...operations)
      .chain((operation) => requestFor(operation).map((generated) => ({ operation, ...generated })));
    await fc.assert(
      fc.asyncProperty(request, async ({ operation, options }) => {
        sent += 1;
        if (sent % 100 === 0) await restoreIdentities();
        const response = await app.inject(options);
        const where = `${options.method} ${String(options.url).slice(0, 300)} → ${response.statusCode}: ${response.body.slice(0, 500)}`;
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        covered.add(`${operation.method} ${operation.path}`);
        expect(response.statusCode, where).toBeLessThan(500);
        expect(response.body, where).not.toMatch(STACK);
        const htmlPage = operation.page && String(response.headers['content-type']).startsWith('text/html');
        if (response.statusCode >= 400 && !htmlPage) {
          expect(String(response.headers['content-type']), where).toContain('application/problem+json');
          const problem = response.json() as { code: keyof typeof PROBLEM_CODES; status: number };
          expect(Object.keys(PROBLEM_CODES), where).toContain(problem.code);
          expect(PROBLEM_CODES[problem.code].status, where).toBe(response.statusCode);
          expect(problem.status, where).toBe(response.statusCode);
        }
      }),
      { numRuns: REQUESTS },
    );
    report('api-fuzz', {
      requests: REQUESTS,
      operations: operations.length,
      operationsHit: covered.size,
      statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])),
      ms: Date.now() - started,
    });
  });
});
