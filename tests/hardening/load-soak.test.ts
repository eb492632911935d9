/**
 * Load and soak, bounded and on loopback only: `bin/perennial serve` on a real port (PGlite or the
 * PostgreSQL database DATABASE_URL points at), seeded with a generated portfolio and its daily run,
 * then N concurrent clients — each with its own API token, so the per-token rate limit is the one a
 * real integration meets — run a read/write mix for a bounded time: lists and details of renewals,
 * accounts and tasks; stage changes under If-Match; notes. Promised: no 5xx and no network error;
 * 409 answers to racing stage changes are correct behaviour and counted apart. Latency percentiles
 * and throughput are printed. The server is then stopped with SIGTERM and must exit cleanly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/api-tokens.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';
import { runDay } from '../../src/engine/run-daily.ts';
import { importFiles } from '../../src/import/import-files.ts';
import {
  type CliProcess,
  createInstance,
  FULL,
  type Instance,
  percentile,
  report,
  STORE_KIND,
  size,
  startCli,
} from './support.ts';

const AS_OF = '2026-11-23';
const CLIENTS = STORE_KIND === 'postgres' ? size(20, 200) : size(10, 50);
const DURATION_MS = Number(process.env.PERENNIAL_SOAK_MS ?? size(3_000, 600_000));
const ACCOUNTS = size(20, 1_000);
/** Between two requests of one client: keeps each token under the 600/minute limit. */
const THINK_MS = 110;
const STAGES = ['prep', 'value_review', 'proposal', 'negotiation', 'verbal_commit'];

let work: string;
let instance: Instance;
let server: CliProcess;
let baseUrl: string;
const tokens: string[] = [];
let renewalIds: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'perennial-load-'));
  const demo = await generateDemo({
    accounts: ACCOUNTS,
    seed: 5,
    asOf: AS_OF,
    outputDir: path.join(work, 'demo'),
  });
  instance = await createInstance('load');
  const store = await instance.open();
  try {
    await importFiles({ store, tenantId: 'default', inputs: [demo.outputDir] });
    await runDay({ store, tenantId: 'default', asOf: AS_OF });
    const [admin] = await store.query<{ user_id: string }>(
      "SELECT user_id FROM users WHERE tenant_id = 'default' AND role = 'admin' LIMIT 1",
    );
    for (let i = 0; i < CLIENTS; i += 1) {
      const { token } = await createApiToken({
        session: store,
        tenantId: 'default',
        userId: admin!.user_id,
        name: `load ${i}`,
        scopes: ['read', 'write'],
        now: new Date(),
      });
      tokens.push(token);
    }
    renewalIds = (
      await store.query<{ contract_id: string }>(
        "SELECT contract_id FROM renewals WHERE tenant_id = 'default' AND outcome = 'pending' ORDER BY 1",
      )
    ).map((row) => row.contract_id);
  } finally {
    await store.close();
  }
  expect(renewalIds.length).toBeGreaterThan(5);
  server = startCli(['serve', '--port', '0', '--host', '127.0.0.1'], {
    ...instance.env,
    PERENNIAL_ADMIN_EMAIL: 'ops@load.example',
    PERENNIAL_ADMIN_PASSWORD: 'load-test-password-1',
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('the server did not start in 60 s')), 60_000);
    const poll = setInterval(() => {
      // The start-up line names the address it listens on.
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout());
      if (match) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve(match[1]!);
      }
    }, 100);
  });
}, 180_000);

afterAll(async () => {
  if (server) {
    server.kill('SIGTERM');
    await server.done;
  }
  await instance?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

type Outcome = { op: string; status: number; ms: number };

async function timed(op: string, url: string, init: RequestInit, results: Outcome[], errors: string[]) {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${url}`, init);
    const body = await response.text();
    const ms = performance.now() - started;
    results.push({ op, status: response.status, ms });
    if (response.status >= 500) errors.push(`${op} ${url} → ${response.status}: ${body.slice(0, 200)}`);
    return { status: response.status, body, etag: response.headers.get('etag') };
  } catch (error) {
    errors.push(`${op} ${url} → network error: ${(error as Error).message}`);
    return null;
  }
}

async function client(index: number, until: number, results: Outcome[], errors: string[]): Promise<void> {
  const headers = { authorization: `Bearer ${tokens[index]}` };
  const json = { ...headers, 'content-type': 'application/json' };
  let n = index;
  const pick = () => {
    n = (n * 7 + 13) % renewalIds.length;
    return renewalIds[n]!;
  };
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.3) {
      const filter = ['', '&band=red', '&sort=-arr', '&owner=me', '&atRisk=true'][
        Math.floor(Math.random() * 5)
      ];
      await timed('list renewals', `/api/v1/renewals?limit=50${filter}`, { headers }, results, errors);
    } else if (roll < 0.5) {
      await timed(
        'get renewal',
        `/api/v1/renewals/${encodeURIComponent(pick())}`,
        { headers },
        results,
        errors,
      );
    } else if (roll < 0.62) {
      await timed('list accounts', '/api/v1/accounts?limit=50', { headers }, results, errors);
    } else if (roll < 0.72) {
      await timed('list tasks', '/api/v1/tasks?limit=50', { headers }, results, errors);
    } else if (roll < 0.88) {
      const id = encodeURIComponent(pick());
      const current = await timed('get renewal', `/api/v1/renewals/${id}`, { headers }, results, errors);
      if (current?.etag) {
        await new Promise((resolve) => setTimeout(resolve, THINK_MS));
        await timed(
          'change stage',
          `/api/v1/renewals/${id}`,
          {
            method: 'PATCH',
            headers: { ...json, 'if-match': current.etag },
            body: JSON.stringify({ stage: STAGES[Math.floor(Math.random() * STAGES.length)] }),
          },
          results,
          errors,
        );
      }
    } else {
      await timed(
        'add note',
        `/api/v1/renewals/${encodeURIComponent(pick())}/notes`,
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ text: `load test note from client ${index}` }),
        },
        results,
        errors,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, THINK_MS));
  }
}

describe('load and soak on a listening server', () => {
  it(`${CLIENTS} clients for ${DURATION_MS / 1000} s: no 5xx, no network errors`, {
    timeout: DURATION_MS + (FULL ? 600_000 : 120_000),
  }, async () => {
    const results: Outcome[] = [];
    const errors: string[] = [];
    const started = Date.now();
    const until = started + DURATION_MS;
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i, until, results, errors)));
    const elapsed = (Date.now() - started) / 1000;
    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
    const statuses: Record<number, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const byOp: Record<string, { n: number; p50: number; p95: number; p99: number }> = {};
    for (const op of new Set(results.map((r) => r.op))) {
      const sorted = results
        .filter((r) => r.op === op)
        .map((r) => r.ms)
        .sort((a, b) => a - b);
      byOp[op] = {
        n: sorted.length,
        p50: Math.round(percentile(sorted, 50)),
        p95: Math.round(percentile(sorted, 95)),
        p99: Math.round(percentile(sorted, 99)),
      };
    }
    report('load', {
      clients: CLIENTS,
      seconds: Math.round(elapsed),
      requests: results.length,
      perSecond: Math.round(results.length / elapsed),
      p50: Math.round(percentile(latencies, 50)),
      p95: Math.round(percentile(latencies, 95)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(latencies.at(-1) ?? 0),
      statuses,
      errors: errors.length,
      byOp,
    });
    expect(errors.slice(0, 5)).toEqual([]);
    expect(results.length).toBeGreaterThan(CLIENTS);
    // Only expected answers: successes, and conflicts between racing stage changes.
    expect(Object.keys(statuses).filter((status) => !['200', '201', '409'].includes(status))).toEqual([]);
    server.kill('SIGTERM');
    const exit = await server.done;
    expect(exit.code).toBe(0);
  });
});
