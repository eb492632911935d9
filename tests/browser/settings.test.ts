/**
 * Settings in real headless Chromium against the real app on a real store: an admin changes a health
 * threshold, previews the impact (a sentence naming how many accounts move), sees a validation message
 * beside the fields it concerns, saves, and is told clearly when someone else saved first; creates an
 * API token and sees its secret once; the users and imports pages render; an admin uploads a CSV set
 * and sees it imported, then a bad file and its problems with the error report. Every page is
 * screenshotted into tmp/screenshots/ and checked with axe (no serious or critical violations).
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPassword } from '../../src/auth/user-accounts.ts';
import { loadPolicy, savePolicy } from '../../src/engine/policy-store.ts';
import { launchChromium } from './chromium.ts';
import { type DemoApp, PASSWORD, startDemoApp } from './demo-app.ts';
import { pageOpener, screenshot, seriousAxeViolations, signIn as signInAs } from './workspace-page.ts';

let demo: DemoApp;
let browser: Browser;
/** The demo's workspace admin (user 1 of the demo team). */
const ADMIN_ID = 'U-001';
let adminEmail = '';

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoApp(), launchChromium()]);
  await setPassword({
    session: demo.test.store,
    tenantId: demo.tenantId,
    userId: ADMIN_ID,
    password: PASSWORD,
  });
  const [admin] = await demo.test.store.query<{ email: string; role: string }>(
    'SELECT email, role FROM users WHERE tenant_id = $1 AND user_id = $2',
    [demo.tenantId, ADMIN_ID],
  );
  expect(admin?.role).toBe('admin');
  adminEmail = admin!.email;
}, 180_000);

afterAll(async () => {
  await closeAll();
  await browser?.close();
  await demo?.close();
});

const { newPage, closeAll } = pageOpener(() => browser);

async function signIn(page: Page, email: string): Promise<void> {
  await signInAs(page, demo.url, { email, password: PASSWORD });
}

async function check(page: Page, name: string, { axe = true }: { axe?: boolean } = {}): Promise<void> {
  await screenshot(page, name);
  if (axe) expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
}

const storedVersion = async () => (await loadPolicy(demo.test.store, demo.tenantId)).version;

describe('settings', () => {
  it('an admin edits the policy, previews the impact, sees problems in place and saves', async () => {
    const page = await newPage();
    await signIn(page, adminEmail);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await page.waitForURL('**/settings/policy');
    const greenMin = page.getByRole('textbox', { name: 'Green from score' });
    await expect.poll(() => greenMin.inputValue()).toBe('70');
    await check(page, '20-settings-policy');

    await greenMin.fill('80');
    await page.getByRole('button', { name: 'Preview impact' }).click();
    const sentence = page.getByTestId('preview-sentence').first();
    await sentence.waitFor();
    const text = (await sentence.textContent()) ?? '';
    expect(text).toMatch(/^This change moves [\d,]+ accounts from green to yellow\.$/);
    expect(Number(/moves ([\d,]+)/.exec(text)![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    await check(page, '21-settings-policy-preview');

    // A band order the checker refuses: the message sits beside the band fields, nothing is saved.
    const redBelow = page.getByRole('textbox', { name: 'Red below score' });
    await redBelow.fill('90');
    await page.getByRole('button', { name: 'Preview impact' }).click();
    await page
      .locator('[data-issue-path="health.bands"]')
      .getByText('redBelow must not be above greenMin')
      .waitFor();
    await check(page, '22-settings-policy-invalid');
    expect(await storedVersion()).toBe(0);

    await redBelow.fill('40');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Saved as version 1.').waitFor();
    const saved = await loadPolicy(demo.test.store, demo.tenantId);
    expect(saved.version).toBe(1);
    expect(saved.policy.health.bands).toEqual({ greenMin: 80, redBelow: 40 });
  });

  it('says clearly when someone else saved the policy first, and saves nothing', async () => {
    const page = await newPage();
    await signIn(page, adminEmail);
    await page.goto(`${demo.url}/settings/policy`);
    const before = await storedVersion();
    const greenMin = page.getByRole('textbox', { name: 'Green from score' });
    await expect.poll(() => greenMin.inputValue()).toBe('80');
    // Another admin stores a version while this one edits.
    const other = structuredClone((await loadPolicy(demo.test.store, demo.tenantId)).policy);
    other.health.bands.greenMin = 75;
    await savePolicy({ session: demo.test.store, tenantId: demo.tenantId, policy: other, createdBy: null });
    await greenMin.fill('85');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const conflict = page.getByTestId('policy-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain(
      `Someone saved version ${before + 1} while you were editing version ${before}. Nothing was saved.`,
    );
    await check(page, '23-settings-policy-conflict');
    expect(await storedVersion()).toBe(before + 1);
    await page.getByRole('button', { name: 'Reload policy' }).click();
    await expect.poll(() => greenMin.inputValue()).toBe('75');
  });

  it('an admin creates an API token and sees its secret once', async () => {
    const page = await newPage();
    await signIn(page, adminEmail);
    await page.goto(`${demo.url}/settings/tokens`);
    await page.getByRole('textbox', { name: 'Token name' }).fill('CRM sync');
    await page.getByRole('checkbox', { name: 'write' }).check();
    await page.getByRole('button', { name: 'Create a token' }).click();
    const secret = page.getByTestId('token-secret');
    await secret.waitFor();
    const token = (await secret.getByLabel('Token secret').textContent()) ?? '';
    expect(token.length).toBeGreaterThan(20);
    await secret.getByRole('button', { name: 'Copy' }).waitFor();
    await check(page, '24-settings-tokens');
    // The token works against the API, with the scopes chosen.
    const me = await fetch(`${demo.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { scopes: string[] }).scopes).toEqual(['read', 'write']);
    // Shown once: after a reload the list names the token, the secret is gone.
    await page.reload();
    await page.getByRole('cell', { name: 'CRM sync', exact: true }).waitFor();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
  });

  it('the users and imports pages render for an admin', async () => {
    const page = await newPage();
    await signIn(page, adminEmail);
    await page.goto(`${demo.url}/settings/users`);
    await page.getByTestId(`user-${ADMIN_ID}`).waitFor();
    await check(page, '25-settings-users');
    await page.goto(`${demo.url}/settings/imports`);
    await page.getByRole('heading', { name: 'Import history' }).waitFor();
    await check(page, '26-settings-imports');
  });

  it('an admin uploads a CSV set and sees it finish; a bad file gives the problems and the error report', async () => {
    const page = await newPage();
    await signIn(page, adminEmail);
    await page.goto(`${demo.url}/settings/imports`);
    await page.getByRole('heading', { name: 'Import history' }).waitFor();
    const csv = (name: string, lines: string[]) => ({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(`${lines.join('\n')}\n`),
    });
    const contractsHeader = 'contract_id,account_id,start_date,end_date,arr,currency';
    const upload = async (files: ReturnType<typeof csv>[]) => {
      await page
        .locator('section[aria-labelledby="import-upload-title"] input[type="file"]')
        .setInputFiles(files);
      await page.getByRole('button', { name: 'Start import' }).click();
    };
    const run = page.locator('section[aria-labelledby="import-run-title"]');

    await upload([
      csv('accounts.csv', ['account_id,name,currency', 'WEB-A-1,Upload Test GmbH,EUR']),
      csv('contracts.csv', [contractsHeader, 'WEB-C-1,WEB-A-1,2026-01-01,2026-12-31,24000.00,EUR']),
    ]);
    await run.getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
    await run.getByText('Rows imported: 2').waitFor();
    const summary = run.getByTestId('import-summary');
    await summary.getByRole('row', { name: /contracts\.csv\s+1\s+1\s+0\s+0/ }).waitFor();
    const [contract] = await demo.test.store.query<{ account_id: string; arr_minor: number }>(
      'SELECT account_id, arr_minor FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
      [demo.tenantId, 'WEB-C-1'],
    );
    expect(contract).toEqual({ account_id: 'WEB-A-1', arr_minor: 2_400_000 });
    // The history shows the run, finished.
    const history = page.locator('section[aria-labelledby="import-history-title"]');
    await history
      .getByRole('row', { name: /accounts\.csv, contracts\.csv.*Done/ })
      .first()
      .waitFor();
    await check(page, '27-settings-imports-done');

    await upload([
      csv('contracts.csv', [contractsHeader, 'WEB-C-2,WEB-A-1,2026-01-01,2026-31-12,100.00,EUR']),
    ]);
    await run.getByText('Failed', { exact: true }).waitFor({ timeout: 60_000 });
    await run.getByText('Problems found: 1. Nothing was written.').waitFor();
    await run.getByRole('row', { name: /contracts\.csv\s+2\s+end_date/ }).waitFor();
    const link = run.getByRole('link', { name: 'Download error report' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^import-\d+-problems\.csv$/);
    const report = await readFile((await download.path())!, 'utf8');
    expect(report.split('\n')[0]).toBe('file,line,column,problem');
    expect(report.split('\n')[1]).toMatch(/^contracts\.csv,2,end_date,/);
    await check(page, '28-settings-imports-failed');
    const stored = await demo.test.store.query(
      'SELECT 1 FROM contracts WHERE tenant_id = $1 AND contract_id = $2',
      [demo.tenantId, 'WEB-C-2'],
    );
    expect(stored).toEqual([]);
  });
});
