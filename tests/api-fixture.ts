/**
 * Two workspaces seeded for API tests: `t1` (ids as written) and `t2` (every id prefixed `ZZ-`, so a
 * leak of another tenant's row shows in any response body). Each has one user per role, plus a
 * second user of each editor role who owns nothing, and an API token (all scopes) per user.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/api/build-app.ts';
import type { ApiApp, ApiLimits } from '../src/api/types.ts';
import { createApiToken } from '../src/auth/api-tokens.ts';
import type { Role } from '../src/auth/roles.ts';
import { type Config, loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/logging/logger.ts';
import type { Store } from '../src/store/store.ts';

export const OTHER = 'ZZ-';

/** Fixture users: key → role; `…2` users own nothing. `mgr` manages csm, sales and spec. */
export const PEOPLE = {
  adm: 'admin',
  mgr: 'manager',
  mgr2: 'manager',
  csm: 'csm',
  csm2: 'csm',
  sales: 'sales',
  sales2: 'sales',
  spec: 'specialist',
  spec2: 'specialist',
  fin: 'finance',
  exec: 'executive',
  view: 'viewer',
} as const satisfies Record<string, Role>;
export type Person = keyof typeof PEOPLE;

/** For each role: the user who is on the fixture renewal C-1 (or manages its owners), and one who is not. */
export const OWNER_VARIANTS: Record<Role, { owner: Person; notOwner: Person }> = {
  admin: { owner: 'adm', notOwner: 'adm' },
  manager: { owner: 'mgr', notOwner: 'mgr2' },
  csm: { owner: 'csm', notOwner: 'csm2' },
  sales: { owner: 'sales', notOwner: 'sales2' },
  specialist: { owner: 'spec', notOwner: 'spec2' },
  finance: { owner: 'fin', notOwner: 'fin' },
  executive: { owner: 'exec', notOwner: 'exec' },
  viewer: { owner: 'view', notOwner: 'view' },
};

export type SeededTenant = {
  tenantId: string;
  prefix: string;
  userId: (person: Person) => string;
  email: (person: Person) => string;
  tokens: Record<Person, string>;
  taskId: number;
  otherTaskId: number;
};

export async function seedTenant(store: Store, tenantId: string, prefix: string): Promise<SeededTenant> {
  const id = (text: string) => `${prefix}${text}`;
  const userId = (person: Person) => id(`U-${person}`);
  const email = (person: Person) => `${person}@${tenantId}.example`;
  await store.execute('INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [tenantId]);
  for (const [person, role] of Object.entries(PEOPLE) as [Person, Role][]) {
    const manager = ['csm', 'sales', 'spec'].includes(person) ? userId('mgr') : null;
    await store.execute(
      'INSERT INTO users (tenant_id, user_id, name, email, role, manager_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [tenantId, userId(person), `${person} of ${tenantId}`, email(person), role, manager],
    );
  }
  await store.execute(
    `INSERT INTO accounts (tenant_id, account_id, name, currency, owner_csm, owner_sales) VALUES
       ($1, $2, $3, 'USD', $4, $5), ($1, $6, $7, 'EUR', $8, NULL)`,
    [
      tenantId,
      id('A-1'),
      id('Acme'),
      userId('csm'),
      userId('sales'),
      id('A-2'),
      id('Berlin GmbH'),
      userId('csm2'),
    ],
  );
  await store.execute(
    `INSERT INTO contracts (tenant_id, contract_id, account_id, start_date, end_date, arr_minor, currency) VALUES
       ($1, $2, $3, '2026-03-01', '2027-02-28', 12000000, 'USD'),
       ($1, $4, $5, '2026-05-01', '2027-04-30', 4500050, 'EUR')`,
    [tenantId, id('C-1'), id('A-1'), id('C-2'), id('A-2')],
  );
  await store.execute(
    `INSERT INTO renewals (tenant_id, contract_id, account_id, due_date, segment, stage, owner_role, owner_user_id,
        health_score, health_band, risk_flags, at_risk_since, probability, forecast_category) VALUES
       ($1, $2, $3, '2027-02-28', 'enterprise', 'prep', 'specialist', $4, 55, 'yellow', '{single_threaded}', NULL, 0.72, 'probable'),
       ($1, $5, $6, '2027-04-30', 'mid_market', 'value_review', 'csm', $7, 30, 'red', '{health_red,champion_left}', '2026-11-01', 0.3, 'at_risk')`,
    [tenantId, id('C-1'), id('A-1'), userId('spec'), id('C-2'), id('A-2'), userId('csm2')],
  );
  const [task] = await store.query<{ id: number }>(
    `INSERT INTO tasks (tenant_id, contract_id, account_id, key, milestone, title, owner_role, owner_user_id, due_date, created_on)
     VALUES ($1, $2, $3, 'account-review', 'T-120', 'Account review', 'csm', $4, '2026-11-01', '2026-11-01') RETURNING id`,
    [tenantId, id('C-1'), id('A-1'), userId('csm')],
  );
  const [otherTask] = await store.query<{ id: number }>(
    `INSERT INTO tasks (tenant_id, contract_id, account_id, key, milestone, title, owner_role, owner_user_id, due_date, created_on)
     VALUES ($1, $2, $3, 'value-review', 'T-60', 'Value review', 'csm', $4, '2027-03-01', '2026-11-01') RETURNING id`,
    [tenantId, id('C-2'), id('A-2'), userId('csm2')],
  );
  await store.execute(
    `INSERT INTO health_snapshots (tenant_id, account_id, as_of, score, band, drivers) VALUES
       ($1, $2, '2026-11-22', 58, 'yellow', '[{"factor":"usage_trend","impact":-12,"detail":"active users -41%"}]'),
       ($1, $2, '2026-11-23', 55, 'yellow', '[{"factor":"usage_trend","impact":-15,"detail":"active users -45%"}]')`,
    [tenantId, id('A-1')],
  );
  await store.execute(
    `INSERT INTO stakeholders (tenant_id, stakeholder_id, account_id, name, email, role, strength, stance)
     VALUES ($1, $2, $3, 'Jane Doe', 'jane@acme.example', 'champion', 'strong', 'supporter')`,
    [tenantId, id('S-1'), id('A-1')],
  );
  const tokens = {} as Record<Person, string>;
  for (const person of Object.keys(PEOPLE) as Person[]) {
    const { token } = await createApiToken({
      session: store,
      tenantId,
      userId: userId(person),
      name: 'fixture',
      scopes: ['read', 'write', 'admin'],
      now: new Date(),
    });
    tokens[person] = token;
  }
  return {
    tenantId,
    prefix,
    userId,
    email,
    tokens,
    taskId: Number(task!.id),
    otherTaskId: Number(otherTask!.id),
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ PERENNIAL_TENANT: 't1', PERENNIAL_LOG_LEVEL: 'silent', ...overrides });
}

/**
 * The fixture's "today": its health history ends 2026-11-23 and its contracts end in 2027, so quotes,
 * due windows and overdue tasks read the same whatever day the suite runs.
 */
export const FIXTURE_NOW = new Date('2026-11-23T09:00:00Z');

export async function buildTestApp(
  store: Store,
  {
    config = testConfig(),
    limits = { perMinute: 1_000_000, loginPerMinute: 1_000_000 },
    now = () => FIXTURE_NOW,
  }: { config?: Config; limits?: Partial<ApiLimits>; now?: () => Date } = {},
): Promise<ApiApp> {
  return buildApp({
    store,
    config,
    log: createLogger({ logLevel: 'silent' }),
    limits,
    now,
  });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function call(
  app: ApiApp,
  options: InjectOptions & { token?: string },
): Promise<LightMyRequestResponse> {
  const { token, headers, ...rest } = options;
  return app.inject({ ...rest, headers: { ...(headers ?? {}), ...(token ? bearer(token) : {}) } });
}
