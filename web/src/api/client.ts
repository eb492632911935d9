/**
 * The typed API client: openapi-fetch over the generated OpenAPI types (`npm run api:types`). The
 * session cookie travels by itself; unsafe requests echo the CSRF token from its cookie. Errors are
 * thrown as `ApiProblem` (the RFC 9457 document) so screens can say what went wrong.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Renewal = Schemas['Renewal'];
export type RenewalDetail = Schemas['RenewalDetail'];
export type Task = Schemas['Task'];
export type Proposal = Schemas['Proposal'];
export type Workspace = Schemas['Workspace'];

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown> | undefined) {
    super(String(body?.detail ?? body?.title ?? `request failed (${status})`));
    this.name = 'ApiProblem';
    this.status = status;
    this.code = String(body?.code ?? 'unknown');
    this.detail = body ?? {};
  }
}

function csrfToken(): string | null {
  const match = /(?:^|;\s*)perennial_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const token = csrfToken();
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(csrf);

/** Unwraps an openapi-fetch result: the data, or an ApiProblem thrown. */
export async function call<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok || data === undefined) {
    if (response.status === 401) window.dispatchEvent(new Event('perennial:signed-out'));
    throw new ApiProblem(response.status, error as Record<string, unknown> | undefined);
  }
  return data;
}
