/**
 * The API under load: the real app (`buildApp`, every hook: auth, rate limit, problem documents) on
 * loopback with a bench admin's API token, and beside it, in the same process, a bare Fastify route
 * answering the same JSON as the renewal list's first page — the floor any JSON endpoint here pays.
 * autocannon runs in its own process (bench/load-generator.ts) at 32 connections.
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { buildApp } from '../src/api/build-app.ts';
import { createApiToken } from '../src/auth/api-tokens.ts';
import { loadConfig } from '../src/config/config.ts';
import { warmForecast } from '../src/engine/forecast/warm-forecast.ts';
import { createLogger } from '../src/logging/logger.ts';
import type { Store } from '../src/store/store.ts';
import type { LoadOptions, LoadResult } from './load-generator.ts';
import { round } from './support.ts';

const run = promisify(execFile);

export type EndpointResult = LoadResult & { endpoint: string; p95VsBare: number };

export type ApiBenchResult = {
  store: 'pglite' | 'postgres';
  accounts: number;
  connections: number;
  /**
   * The forecast build from the whole history, timed where the daily run's end does it in a serving
   * process (`warmForecast`), off the request path.
   */
  warmUpSeconds: number;
  /** The first forecast request after the warm-up (answered from memory), ms. */
  firstForecastMs: number;
  /** The forecast's JSON body, and gzipped, bytes. */
  forecastBytes: number;
  forecastGzipBytes: number;
  endpoints: EndpointResult[];
};

export type LoadSettings = { connections: number; durationSeconds: number; amount: number };

async function load(options: LoadOptions): Promise<LoadResult[]> {
  const script = new URL('./load-generator.ts', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult[];
}

export async function benchApi({
  kind,
  store,
  accounts,
  asOf,
  settings,
}: {
  kind: 'pglite' | 'postgres';
  store: Store;
  accounts: number;
  asOf: string;
  settings: LoadSettings;
}): Promise<ApiBenchResult> {
  const tenantId = 'bench';
  await store.execute(
    `INSERT INTO users (tenant_id, user_id, name, email, role) VALUES ($1, 'bench-admin', 'Bench', 'bench@bench.example', 'admin')
     ON CONFLICT DO NOTHING`,
    [tenantId],
  );
  const { token } = await createApiToken({
    session: store,
    tenantId,
    userId: 'bench-admin',
    name: 'bench',
    scopes: ['read'],
    now: new Date(),
  });
  const app = await buildApp({
    store,
    config: loadConfig({ PERENNIAL_TENANT: tenantId, PERENNIAL_LOG_LEVEL: 'silent' }),
    log: createLogger({ logLevel: 'silent' }),
    limits: { perMinute: 1_000_000_000, loginPerMinute: 1_000_000_000 },
    now: () => new Date(`${asOf}T12:00:00Z`),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const headers = { authorization: `Bearer ${token}` };
  const firstPage = await app.inject({ method: 'GET', url: '/api/v1/renewals?limit=50', headers });
  if (firstPage.statusCode !== 200) throw new Error(`renewal list answered ${firstPage.statusCode}`);
  const body = firstPage.json() as unknown;
  // The forecast is built once per change of its inputs and then served from memory. The daily run's
  // end builds it in the serving process (src/jobs/run-tenant-day.ts → warmForecast); that build is
  // timed on its own, then the first request, so the load below measures the steady state.
  const warmed = await warmForecast({ session: store, tenantId, asOf });
  if (warmed.status !== 'warmed') throw new Error(`forecast warm-up ${warmed.status}`);
  const warmUpSeconds = round(warmed.seconds);
  const firstStarted = process.hrtime.bigint();
  const first = await app.inject({ method: 'GET', url: '/api/v1/forecast', headers });
  const firstForecastMs = round(Number(process.hrtime.bigint() - firstStarted) / 1e6, 1);
  if (first.statusCode !== 200) throw new Error(`forecast answered ${first.statusCode}`);
  const zipped = await app.inject({
    method: 'GET',
    url: '/api/v1/forecast',
    headers: { ...headers, 'accept-encoding': 'gzip' },
  });
  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => body);
  await bare.listen({ host: '127.0.0.1', port: 0 });
  try {
    const open = await store.query<{ contract_id: string }>(
      `SELECT contract_id FROM renewals WHERE tenant_id = $1 AND outcome = 'pending' AND due_date IS NOT NULL
        ORDER BY md5(contract_id) LIMIT 200`,
      [tenantId],
    );
    const apiUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;
    const gzip = { 'accept-encoding': 'gzip' };
    const targets: [string, string, string[], Record<string, string>?][] = [
      ['bare Fastify JSON (same body as list)', bareUrl, ['/bare']],
      [
        'renewal list (4 sorts/filters, 50 a page)',
        apiUrl,
        [
          '/api/v1/renewals?limit=50',
          '/api/v1/renewals?status=open&limit=50',
          '/api/v1/renewals?sort=-arr&limit=50',
          '/api/v1/renewals?band=red&status=open&limit=50',
        ],
      ],
      [
        'renewal detail',
        apiUrl,
        open.map((row) => `/api/v1/renewals/${encodeURIComponent(row.contract_id)}`),
      ],
      ['forecast (this quarter)', apiUrl, ['/api/v1/forecast']],
      ['forecast (this quarter, gzip as a browser asks)', apiUrl, ['/api/v1/forecast'], gzip],
    ];
    const measured = targets.filter(([, , paths]) => paths.length > 0);
    const results = await load({
      targets: measured.map(([, url, paths, extra]) => ({ url, paths, headers: extra })),
      headers,
      ...settings,
    });
    const bareP95 = Math.max(results[0]?.p95Ms ?? 0, 0.1);
    const endpoints: EndpointResult[] = measured.map(([endpoint], index) => {
      const result = results[index]!;
      return { endpoint, ...result, p95VsBare: round(result.p95Ms / bareP95, 1) };
    });
    return {
      store: kind,
      accounts,
      connections: settings.connections,
      warmUpSeconds,
      firstForecastMs,
      forecastBytes: first.rawPayload.length,
      forecastGzipBytes: zipped.rawPayload.length,
      endpoints,
    };
  } finally {
    await bare.close();
    await app.close();
  }
}
