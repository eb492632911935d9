/**
 * The real app for browser tests: a real store (PGlite, or PostgreSQL with DATABASE_URL) loaded with
 * a small demo book and run for today, three people who can sign in (a CSM, their manager and the
 * VP of Customer Success), the API and the built web workspace on 127.0.0.1 at a random port.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/api/build-app.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { setPassword } from '../../src/auth/user-accounts.ts';
import { demoPodTeam } from '../../src/demo/build-demo-users.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';
import { runDays } from '../../src/engine/run-daily.ts';
import { importFiles } from '../../src/import/import-files.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { testConfig } from '../api-fixture.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';

export const WEB_ROOT = path.resolve('web/dist');
const WEB_SOURCES = [
  path.resolve('web/src'),
  path.resolve('web/index.html'),
  path.resolve('web/vite.config.ts'),
  path.resolve('scripts/route-preloads.ts'),
  path.resolve('scripts/compress-web-assets.ts'),
];
export const PASSWORD = 'correct horse battery staple';

export type Person = { userId: string; email: string; name: string; password: string };
export type DemoApp = {
  url: string;
  today: string;
  tenantId: string;
  test: TestStore;
  app: ApiApp;
  csm: Person;
  manager: Person;
  executive: Person;
  close: () => Promise<void>;
};

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than the sources (a stale bundle would test old code). */
export function ensureWebBuilt(): void {
  const index = path.join(WEB_ROOT, 'index.html');
  const stale =
    !existsSync(index) ||
    Math.max(...WEB_SOURCES.map((source) => newestMtime(source))) > statSync(index).mtimeMs;
  if (stale) {
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], {
      stdio: 'ignore',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
}

export async function startDemoApp({ accounts = 200 }: { accounts?: number } = {}): Promise<DemoApp> {
  ensureWebBuilt();
  const tenantId = 't1';
  const today = new Date().toISOString().slice(0, 10);
  const test = await openTestStore();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-web-'));
  await generateDemo({ accounts, seed: 7, asOf: today, outputDir: dir });
  await importFiles({ store: test.store, tenantId, inputs: [dir] });
  // A few weekly runs before today give the health history charts something to show.
  const day = (offset: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  await runDays({ store: test.store, tenantId, days: [day(-14), day(-7), today] });
  await rm(dir, { recursive: true, force: true });

  const team = demoPodTeam(0);
  const person = async (userId: string): Promise<Person> => {
    await setPassword({ session: test.store, tenantId, userId, password: PASSWORD });
    const [row] = await test.store.query<{ email: string; name: string }>(
      'SELECT email, name FROM users WHERE tenant_id = $1 AND user_id = $2',
      [tenantId, userId],
    );
    return { userId, email: row!.email, name: row!.name, password: PASSWORD };
  };
  const csm = await person(team.csmIds[0]!);
  const manager = await person(team.managerId);
  const executive = await person('U-002');

  const app = await buildApp({
    store: test.store,
    config: testConfig(),
    log: createLogger({ logLevel: 'silent' }),
    limits: { perMinute: 1_000_000, loginPerMinute: 1_000_000 },
    webRoot: WEB_ROOT,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    today,
    tenantId,
    test,
    app,
    csm,
    manager,
    executive,
    async close() {
      await app.close();
      await test.close();
    },
  };
}
