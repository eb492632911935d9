/** Shared benchmark plumbing: timing, peak RSS sampling, fresh stores, and result files. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openPgliteStore } from '../src/store/pglite-store.ts';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import type { Store } from '../src/store/store.ts';
import { createTestDatabase } from '../tests/support/test-store.ts';

export type StoreKind = 'pglite' | 'postgres';

export type Measured<T> = { value: T; seconds: number; peakRssMb: number };

/** Releases garbage between sections when node runs with --expose-gc, so peaks are per section. */
export function settleMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  settleMemory();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = process.hrtime.bigint();
  try {
    const value = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds, peakRssMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

export type BenchStore = { store: Store; close: () => Promise<void> };

export async function freshStore(kind: StoreKind, databaseUrl: string): Promise<BenchStore> {
  if (kind === 'postgres') {
    const database = await createTestDatabase(databaseUrl);
    const store = await openPostgresStore({ url: database.url });
    return {
      store,
      async close() {
        await store.close();
        await database.drop();
      },
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-bench-'));
  const store = await openPgliteStore({ dataDir: path.join(dir, 'data') });
  return {
    store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function writeResults(name: string, result: unknown, markdown: string): Promise<string> {
  const dir = new URL('./results/', import.meta.url).pathname;
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  const base = path.join(dir, `${stamp}-${name}`);
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${base}.md`, `${markdown}\n`);
  return base;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** `10k`, `100k`, `1m` or a plain number of accounts. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match)
    throw new RangeError(`--size ${text}: expected a number of accounts such as 300, 10k, 100k or 1m`);
  const scale = { '': 1, k: 1_000, m: 1_000_000 }[match[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(match[1]) * scale);
}

export const sizeLabel = (accounts: number) =>
  accounts >= 1_000_000 && accounts % 1_000_000 === 0
    ? `${accounts / 1_000_000}m`
    : accounts >= 1_000 && accounts % 1_000 === 0
      ? `${accounts / 1_000}k`
      : String(accounts);
