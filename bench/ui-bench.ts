/**
 * The UI bench: the real app (`buildApp` with the built web workspace, every hook) on loopback over the
 * bench store, a CSM of the bench portfolio — the one who owns the most open renewals — signed in once
 * through the real form in headless Chromium (Debian's, via playwright-core), then the CSM home (`/`)
 * and the pipeline (`/pipeline`) opened N times each by a fresh navigation with the session warm:
 * N times in the signed-in tab (HTTP cache warm, as a returning user) and N times in a new browser
 * context carrying only the session cookies (HTTP cache cold).
 *
 * Time to interactive is read in the page: `performance.now()` (ms since `performance.timeOrigin`, the
 * navigation start) in the first animation frame where the page's data is rendered — the first
 * due-soon row and the first at-risk account on the home, the first row of the renewals table on the
 * pipeline — and no "Loading…" indicator remains. A `Date.now()` around `goto` + wait is kept beside
 * it as a cross-check. The browser's resource timing gives each API request's duration (the slowest
 * is what to look at when a page is slow). Also measured: the gzipped size of the initial JavaScript
 * and CSS (what the home's index.html references: its module script and modulepreloads, its stylesheet)
 * and of all JavaScript fetched until the home was interactive (lazy chunks included).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../src/api/build-app.ts';
import { setPassword } from '../src/auth/user-accounts.ts';
import { loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/logging/logger.ts';
import type { Store } from '../src/store/store.ts';
import { launchChromium, SCREENSHOT_DIR } from '../tests/browser/chromium.ts';
import { ensureWebBuilt, WEB_ROOT } from '../tests/browser/demo-app.ts';
import { signIn } from '../tests/browser/workspace-page.ts';
import { round, type StoreKind } from './support.ts';

export const UI_TARGET_MS = 1500;
export const UI_TARGET_JS_KB = 400;
const PASSWORD = 'bench ui correct horse battery staple';
const WAIT_MS = 30_000;

type PageSpec = { page: string; path: string; ready: string[] };

/** What "interactive" means per page: its main data rendered (a CSS selector), and nothing loading. */
const PAGES: PageSpec[] = [
  {
    page: 'CSM home',
    path: '/',
    ready: ['section[aria-labelledby="due-soon-title"] tbody tr', '[data-testid^="at-risk-"] a'],
  },
  { page: 'pipeline', path: '/pipeline', ready: ['[data-testid="pipeline-table"] tbody tr'] },
];

export type ApiRequestTiming = { request: string; durationMs: number };

export type UiRun = {
  /** In-page: ms from navigation start to the first frame with the data and no loading indicator. */
  interactiveMs: number;
  /** Date.now() around page.goto + the wait (includes the driver's round trips). */
  wallMs: number;
  /** DOMContentLoaded (the initial scripts fetched and run), ms from navigation start. */
  domContentLoadedMs: number;
  /** The first API request's start: the app booted and asked for data, ms from navigation start. */
  firstApiRequestMs: number;
  /** Last API response's end, ms from navigation start (requests may continue after interactive). */
  lastApiResponseEndMs: number;
  apiRequests: number;
  slowestRequest: ApiRequestTiming | null;
  dataRows: number;
  /** The requests behind the page (API and scripts), ms from navigation start: the waterfall. */
  timeline: { request: string; startMs: number; endMs: number }[];
};

export type UiPageResult = {
  page: string;
  path: string;
  cache: 'warm' | 'cold';
  runs: number;
  medianMs: number;
  maxMs: number;
  wallMedianMs: number;
  domContentLoadedMedianMs: number;
  firstApiRequestMedianMs: number;
  lastApiMedianMs: number;
  /** Per request (ids folded), the median duration over the runs, slowest first. */
  slowestRequests: ApiRequestTiming[];
  detail: UiRun[];
};

export type AssetSize = { file: string; bytes: number; gzipBytes: number };

export type UiBenchResult = {
  store: StoreKind;
  accounts: number;
  method: string;
  csm: { userId: string; openRenewals: number; dueSoon: number; atRisk: number };
  loadAverage: { before: number[]; after: number[] };
  targetMs: number;
  targetJsKb: number;
  pages: UiPageResult[];
  initialJs: AssetSize[];
  initialJsGzipBytes: number;
  initialCss: AssetSize[];
  initialCssGzipBytes: number;
  /** Every script fetched until the home was interactive (initial + lazy chunks), gzipped. */
  homeJsGzipBytes: number;
};

export type UiBenchOptions = {
  kind: StoreKind;
  store: Store;
  accounts: number;
  tenantId?: string;
  runs?: number;
  log?: (line: string) => void;
};

const loadAverage = () => os.loadavg().map((value) => round(value, 2));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function assetSize(file: string): AssetSize {
  const body = readFileSync(path.join(WEB_ROOT, file));
  return { file, bytes: body.length, gzipBytes: gzipSync(body).length };
}

/**
 * The assets a page's index.html loads before any route renders: module script + modulepreloads (the
 * app's and, as the server answers each path, the page's own: src/api/web-shell.ts); stylesheets.
 */
function initialAssets(html: string): { js: AssetSize[]; css: AssetSize[] } {
  const refs = (pattern: RegExp) => [...html.matchAll(pattern)].map((match) => match[1]!);
  const js = [
    ...refs(/<script[^>]*\bsrc="([^"]+\.js)"/g),
    ...refs(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
  ];
  const css = refs(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+\.css)"/g);
  return { js: [...new Set(js)].map(assetSize), css: [...new Set(css)].map(assetSize) };
}

/**
 * The CSM whose home has the most to show: open renewals due in the home's 90-day window and at-risk
 * ones both (the home waits for both), then the most open renewals.
 */
async function csmWithMostRenewals(
  store: Store,
  tenantId: string,
  today: string,
): Promise<{ userId: string; email: string; openRenewals: number; dueSoon: number; atRisk: number }> {
  const [row] = await store.query<{
    user_id: string;
    email: string;
    open_renewals: number;
    due_soon: number;
    at_risk: number;
  }>(
    `SELECT u.user_id, u.email, count(*)::int AS open_renewals,
            count(*) FILTER (WHERE r.due_date BETWEEN $2::date AND $2::date + 90)::int AS due_soon,
            count(*) FILTER (WHERE r.at_risk_since IS NOT NULL)::int AS at_risk
       FROM renewals r JOIN users u ON u.tenant_id = r.tenant_id AND u.user_id = r.owner_user_id
      WHERE r.tenant_id = $1 AND r.outcome = 'pending' AND u.role = 'csm' AND NOT u.disabled
        AND u.email IS NOT NULL
      GROUP BY u.user_id, u.email
      ORDER BY (count(*) FILTER (WHERE r.due_date BETWEEN $2::date AND $2::date + 90) > 0
                AND count(*) FILTER (WHERE r.at_risk_since IS NOT NULL) > 0) DESC,
               open_renewals DESC, u.user_id
      LIMIT 1`,
    [tenantId, today],
  );
  if (!row) throw new Error(`ui bench: no CSM owns an open renewal in tenant ${tenantId}`);
  return {
    userId: row.user_id,
    email: row.email,
    openRenewals: row.open_renewals,
    dueSoon: row.due_soon,
    atRisk: row.at_risk,
  };
}

/** Folds ids out of an API path so the same request on different renewals groups together. */
function requestName(url: string): string {
  const parsed = new URL(url);
  const pathname = parsed.pathname.replace(/^(\/api\/v1\/[a-z-]+)\/[^/]+/, '$1/{id}');
  return `${pathname}${parsed.search.length > 0 ? '?…' : ''}`;
}

type InPage = { readyMs: number; rows: number; error: string | null };
type InPageElement = { textContent: string | null };
type InPageDocument = {
  querySelector: (selector: string) => InPageElement | null;
  querySelectorAll: (selector: string) => ArrayLike<InPageElement>;
};

/** Navigates and waits, in the page, for the first animation frame where the page is interactive. */
async function measureOnce(page: Page, url: string, spec: PageSpec): Promise<UiRun & { scripts: string[] }> {
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit', timeout: WAIT_MS });
  const waiting = page.waitForFunction(
    (selectors: string[]): InPage | false => {
      // Runs in the page; this package compiles without the DOM library, hence the narrow type.
      const { document } = globalThis as unknown as { document: InPageDocument };
      const alert = document.querySelector('[role="alert"]');
      if (alert) return { readyMs: performance.now(), rows: 0, error: alert.textContent ?? 'alert' };
      if (!document.querySelector('h1')) return false;
      const loading = Array.from(document.querySelectorAll('[role="status"]')).some((element) =>
        (element.textContent ?? '').includes('Loading'),
      );
      if (loading) return false;
      if (selectors.some((selector) => !document.querySelector(selector))) return false;
      return {
        readyMs: performance.now(),
        rows: document.querySelectorAll(selectors[0]!).length,
        error: null,
      };
    },
    spec.ready,
    { polling: 'raf', timeout: WAIT_MS },
  );
  const handle = await waiting.catch(async (error: unknown) => {
    const shot = path.join(SCREENSHOT_DIR, `ui-bench-timeout-${spec.page.replace(/\W+/g, '-')}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    throw new Error(`ui bench: ${spec.page} not interactive within ${WAIT_MS} ms (screenshot ${shot})`, {
      cause: error,
    });
  });
  const wallMs = Date.now() - started;
  const ready = (await handle.jsonValue()) as InPage;
  if (ready.error) throw new Error(`ui bench: ${spec.page} showed an error: ${ready.error}`);
  // Let the requests the page started finish, so their timings are complete.
  await page.waitForLoadState('networkidle', { timeout: WAIT_MS });
  const entries = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => {
      const { responseEnd } = entry as unknown as { responseEnd: number };
      return { name: entry.name, duration: entry.duration, startTime: entry.startTime, responseEnd };
    }),
  );
  const domContentLoaded = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType('navigation' as 'resource');
    return (
      (navigation as unknown as { domContentLoadedEventEnd: number } | undefined)?.domContentLoadedEventEnd ??
      0
    );
  });
  const api = entries.filter((entry) => new URL(entry.name).pathname.startsWith('/api/'));
  const slowest = [...api].sort((a, b) => b.duration - a.duration)[0];
  return {
    interactiveMs: round(ready.readyMs, 0),
    wallMs,
    domContentLoadedMs: round(domContentLoaded, 0),
    firstApiRequestMs: round(Math.min(...api.map((entry) => entry.startTime)), 0),
    lastApiResponseEndMs: round(Math.max(0, ...api.map((entry) => entry.responseEnd)), 0),
    apiRequests: api.length,
    slowestRequest: slowest
      ? { request: requestName(slowest.name), durationMs: round(slowest.duration, 0) }
      : null,
    dataRows: ready.rows,
    timeline: entries
      .filter((entry) => /^\/api\/|\.js$/.test(new URL(entry.name).pathname))
      .map((entry) => ({
        request: decodeURIComponent(new URL(entry.name).pathname + new URL(entry.name).search),
        startMs: round(entry.startTime, 0),
        endMs: round(entry.responseEnd, 0),
      })),
    scripts: entries
      .map((entry) => new URL(entry.name).pathname)
      .filter((pathname) => pathname.endsWith('.js')),
  };
}

function summarize(spec: PageSpec, cache: 'warm' | 'cold', runs: UiRun[], timings: ApiRequestTiming[][]) {
  const byRequest = new Map<string, number[]>();
  for (const request of timings.flat()) {
    byRequest.set(request.request, [...(byRequest.get(request.request) ?? []), request.durationMs]);
  }
  const slowestRequests = [...byRequest]
    .map(([request, durations]) => ({ request, durationMs: round(median(durations), 0) }))
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 3);
  return {
    page: spec.page,
    path: spec.path,
    cache,
    runs: runs.length,
    medianMs: round(median(runs.map((run) => run.interactiveMs)), 0),
    maxMs: Math.max(...runs.map((run) => run.interactiveMs)),
    wallMedianMs: round(median(runs.map((run) => run.wallMs)), 0),
    domContentLoadedMedianMs: round(median(runs.map((run) => run.domContentLoadedMs)), 0),
    firstApiRequestMedianMs: round(median(runs.map((run) => run.firstApiRequestMs)), 0),
    lastApiMedianMs: round(median(runs.map((run) => run.lastApiResponseEndMs)), 0),
    slowestRequests,
    detail: runs,
  } satisfies UiPageResult;
}

async function apiTimings(page: Page): Promise<ApiRequestTiming[]> {
  const entries = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => ({ name: entry.name, duration: entry.duration }))
      .filter((entry) => new URL(entry.name).pathname.startsWith('/api/')),
  );
  return entries.map((entry) => ({ request: requestName(entry.name), durationMs: round(entry.duration, 0) }));
}

async function measurePage({
  spec,
  baseUrl,
  runs,
  open,
  cache,
  scripts,
}: {
  spec: PageSpec;
  baseUrl: string;
  runs: number;
  open: () => Promise<{ page: Page; done: () => Promise<void> }>;
  cache: 'warm' | 'cold';
  scripts: Set<string> | null;
}): Promise<UiPageResult> {
  const measured: UiRun[] = [];
  const timings: ApiRequestTiming[][] = [];
  for (let run = 0; run < runs; run += 1) {
    const { page, done } = await open();
    try {
      const { scripts: loaded, ...result } = await measureOnce(page, `${baseUrl}${spec.path}`, spec);
      for (const script of loaded) scripts?.add(script);
      measured.push(result);
      timings.push(await apiTimings(page));
    } finally {
      await done();
    }
  }
  return summarize(spec, cache, measured, timings);
}

export async function benchUi({
  kind,
  store,
  accounts,
  tenantId = 'bench',
  runs = 5,
  log = () => undefined,
}: UiBenchOptions): Promise<UiBenchResult> {
  const before = loadAverage();
  log('ui: checking the web build (npm run build:web when web/dist is missing or stale)');
  ensureWebBuilt();
  const csm = await csmWithMostRenewals(store, tenantId, new Date().toISOString().slice(0, 10));
  await setPassword({ session: store, tenantId, userId: csm.userId, password: PASSWORD });
  // The real clock (as in production): a session cookie stamped with the bench's asOf would be expired.
  const app = await buildApp({
    store,
    config: loadConfig({ PERENNIAL_TENANT: tenantId, PERENNIAL_LOG_LEVEL: 'silent' }),
    log: createLogger({ logLevel: 'silent' }),
    limits: { perMinute: 1_000_000_000, loginPerMinute: 1_000_000_000 },
    webRoot: WEB_ROOT,
  });
  let browser: Browser | null = null;
  try {
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    const contextOptions = { viewport: { width: 1440, height: 900 }, locale: 'en-US' };
    const signedIn: BrowserContext = await browser.newContext(contextOptions);
    const tab = await signedIn.newPage();
    tab.setDefaultTimeout(WAIT_MS);
    log(
      `ui: signing in ${csm.userId} (${csm.openRenewals} open renewals, ${csm.dueSoon} due in 90 days, ${csm.atRisk} at risk)`,
    );
    await signIn(tab, baseUrl, { email: csm.email, password: PASSWORD });
    const storageState = await signedIn.storageState();
    const homeScripts = new Set<string>();
    const pages: UiPageResult[] = [];
    for (const spec of PAGES) {
      log(`ui: ${spec.page}, ${runs} runs warm cache`);
      pages.push(
        await measurePage({
          spec,
          baseUrl,
          runs,
          cache: 'warm',
          scripts: null,
          open: async () => ({ page: tab, done: async () => undefined }),
        }),
      );
      log(`ui: ${spec.page}, ${runs} runs cold cache`);
      pages.push(
        await measurePage({
          spec,
          baseUrl,
          runs,
          cache: 'cold',
          scripts: spec.path === '/' ? homeScripts : null,
          open: async () => {
            const context = await browser!.newContext({ ...contextOptions, storageState });
            const page = await context.newPage();
            page.setDefaultTimeout(WAIT_MS);
            return { page, done: () => context.close() };
          },
        }),
      );
    }
    // What the browser gets for the home (`/`), the page that preloads the most.
    const { js, css } = initialAssets(await (await fetch(`${baseUrl}/`)).text());
    const sum = (assets: AssetSize[]) => assets.reduce((total, asset) => total + asset.gzipBytes, 0);
    return {
      store: kind,
      accounts,
      method:
        'in-page performance.now() (ms since navigation start) at the first animation frame with the data rendered and no loading indicator; fresh navigation, warm session',
      csm: { userId: csm.userId, openRenewals: csm.openRenewals, dueSoon: csm.dueSoon, atRisk: csm.atRisk },
      loadAverage: { before, after: loadAverage() },
      targetMs: UI_TARGET_MS,
      targetJsKb: UI_TARGET_JS_KB,
      pages,
      initialJs: js,
      initialJsGzipBytes: sum(js),
      initialCss: css,
      initialCssGzipBytes: sum(css),
      homeJsGzipBytes: sum([...homeScripts].map((script) => assetSize(script.replace(/^\//, '')))),
    };
  } finally {
    await browser?.close();
    await app.close();
  }
}

const kb = (bytes: number) => round(bytes / 1024, 1);

export function uiMarkdown(results: readonly UiBenchResult[]): string[] {
  const lines: string[] = [];
  for (const ui of results) {
    lines.push(
      '',
      `## UI on ${ui.store}: time to interactive in headless Chromium (${ui.accounts} accounts, loopback)`,
      '',
      `Measured: ${ui.method}. Signed in as ${ui.csm.userId}, the CSM owning the most open renewals ` +
        `(${ui.csm.openRenewals}; ${ui.csm.dueSoon} due in 90 days, ${ui.csm.atRisk} at risk). Warm cache: the signed-in tab navigates again; cold cache: a new ` +
        `browser context with only the session cookies. Load average before → after: ` +
        `${ui.loadAverage.before.join(' ')} → ${ui.loadAverage.after.join(' ')}. The DOMContentLoaded, ` +
        'first API request and last API response columns are medians, ms from navigation start.',
      '',
      '| page | cache | runs | median ms | max ms | target ms | Date.now() median ms | DOMContentLoaded ms | first API request ms | last API response ms | slowest requests (median ms) |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...ui.pages.map(
        (p) =>
          `| ${p.page} (\`${p.path}\`) | ${p.cache} | ${p.runs} | **${p.medianMs}** | ${p.maxMs} | ${ui.targetMs} | ${p.wallMedianMs} | ${p.domContentLoadedMedianMs} | ${p.firstApiRequestMedianMs} | ${p.lastApiMedianMs} | ${p.slowestRequests.map((r) => `\`${r.request}\` ${r.durationMs}`).join(', ')} |`,
      ),
      '',
      '| initial JS gz KB (index.html of the home: script + modulepreloads) | target KB | files | initial CSS gz KB | all JS until home interactive gz KB |',
      '|---:|---:|---:|---:|---:|',
      `| **${kb(ui.initialJsGzipBytes)}** | ${ui.targetJsKb} | ${ui.initialJs.length} | ${kb(ui.initialCssGzipBytes)} | ${kb(ui.homeJsGzipBytes)} |`,
    );
  }
  return lines;
}
