/**
 * The daily journeys in real headless Chromium against the real app on a real store: a CSM signs in,
 * opens an at-risk renewal, completes a task, builds a proposal and submits it for approval; their
 * manager approves it, sees the forecast change, and — once the agreement is out for signature —
 * the signer's status in the room; an executive reads the retention waterfall.
 * Every page is screenshotted into tmp/screenshots/ and checked with axe (no serious or critical
 * violations).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySignatureEvent } from '../../src/engine/commercial/apply-signature-event.ts';
import { generateRenewalContract } from '../../src/engine/commercial/generate-renewal-contract.ts';
import { launchChromium } from './chromium.ts';
import { type DemoApp, type Person, startDemoApp, WEB_ROOT } from './demo-app.ts';
import { pageOpener, screenshot, seriousAxeViolations, signIn as signInAs } from './workspace-page.ts';

let demo: DemoApp;
let browser: Browser;
/** The at-risk renewal the CSM works on, shared by the manager's journey. */
let atRiskContractId = '';
let atRiskAccount = '';

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoApp(), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await closeAll();
  await browser?.close();
  await demo?.close();
});

const { newPage, closeAll } = pageOpener(() => browser);

async function signIn(page: Page, person: Person): Promise<void> {
  await signInAs(page, demo.url, person);
}

async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

/**
 * Waits for the page to settle, saves a full-page screenshot and (unless it is a state of a page
 * already checked) fails on serious or critical axe violations.
 */
async function check(page: Page, name: string, { axe = true }: { axe?: boolean } = {}): Promise<void> {
  await screenshot(page, name);
  if (axe) expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
}

describe('the web workspace', () => {
  it('serves the app at / and index.html for client routes, never for the API', async () => {
    const root = await fetch(`${demo.url}/pipeline`);
    expect(root.status).toBe(200);
    const html = await root.text();
    expect(html).toContain('<div id="root">');
    // The page's own code and the workspace are fetched beside the app's code (src/api/web-shell.ts).
    expect(html).toMatch(/<link rel="modulepreload" crossorigin href="\/assets\/pipeline-page-[\w-]+\.js">/);
    expect(html).toContain('<link rel="preload" href="/api/v1/workspace" as="fetch"');
    const home = await (await fetch(`${demo.url}/`)).text();
    expect(home).toMatch(/href="\/assets\/csm-home-[\w-]+\.js"/);
    expect(home).not.toMatch(/pipeline-page-/);
    const api = await fetch(`${demo.url}/api/v1/nope`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('a CSM signs in, opens an at-risk renewal, completes a task and submits a proposal', async () => {
    const page = await newPage();
    await page.goto(`${demo.url}/`);
    await page.waitForURL(/\/sign-in/);
    await check(page, '01-sign-in');
    await signIn(page, demo.csm);
    await page.getByRole('heading', { name: 'My at-risk accounts' }).waitFor();
    const atRisk = page.locator('[data-testid^="at-risk-"]').first();
    await atRisk.waitFor();
    atRiskContractId = (await atRisk.getAttribute('data-testid'))!.replace('at-risk-', '');
    await check(page, '02-csm-home');

    // Everything loaded up to a usable CSM home (sign-in included) stays under 400 KB of gzipped JS.
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => new URL(entry.name).pathname)
        .filter((name) => name.endsWith('.js')),
    );
    const gzipped = scripts.reduce(
      (sum, script) => sum + gzipSync(readFileSync(path.join(WEB_ROOT, script))).length,
      0,
    );
    expect(gzipped).toBeLessThan(400 * 1024);

    const link = atRisk.getByRole('link').first();
    atRiskAccount = (await link.textContent()) ?? '';
    await link.click();
    await page.waitForURL(`**/renewals/${atRiskContractId}`);
    await page.getByRole('heading', { name: atRiskAccount, level: 1 }).waitFor();
    await page
      .getByRole('heading', { name: 'What moves the score' })
      .or(page.getByText('What moves the score'))
      .first()
      .waitFor();

    // Complete the first open task of the renewal.
    const timeline = page.locator('section[aria-labelledby="timeline-title"]');
    const complete = timeline.getByRole('button', { name: /^Complete: / }).first();
    const taskTitle = ((await complete.getAttribute('aria-label')) ?? '').replace('Complete: ', '');
    await complete.click();
    await timeline.getByRole('button', { name: `Complete: ${taskTitle}` }).waitFor({ state: 'detached' });
    await check(page, '03-renewal-room');

    // Build the proposal: the flat option, submitted for approval.
    const proposal = page.locator('section[aria-labelledby="proposal-title"]');
    await proposal.getByTestId('option-good').getByRole('radio').click();
    expect(await proposal.getByTestId('option-good').getByRole('radio').getAttribute('aria-checked')).toBe(
      'true',
    );
    await proposal.getByRole('button', { name: 'Submit for approval' }).click();
    await proposal.getByTestId('proposal-status').getByText('Waiting for approval').waitFor();
    await check(page, '04-renewal-room-proposal-submitted', { axe: false });

    // The pipeline: table and board.
    await nav(page, 'Pipeline');
    await page.getByTestId('pipeline-table').waitFor();
    await check(page, '05-pipeline-table');

    // Filter on the server (health band, a year's window), keep it as a saved view, page through.
    const table = page.getByTestId('pipeline-table');
    const bandCells = table.locator('tbody tr td:nth-child(4)');
    await page.getByLabel('Due window').selectOption('365');
    await page.getByLabel('Health band').selectOption('red');
    await expect
      .poll(async () => [...new Set((await bandCells.allInnerTexts()).map((text) => text.split(' ')[0]))])
      .toEqual(['RED']);
    await page.getByLabel('View name').fill('Red this year');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('Health band').selectOption('');
    await page.getByLabel('Due window').selectOption('90');
    await page
      .getByRole('list', { name: 'Saved views' })
      .getByRole('button', { name: 'Red this year', exact: true })
      .click();
    expect(await page.getByLabel('Health band').inputValue()).toBe('red');
    expect(await page.getByLabel('Due window').inputValue()).toBe('365');
    await expect
      .poll(async () => [...new Set((await bandCells.allInnerTexts()).map((text) => text.split(' ')[0]))])
      .toEqual(['RED']);
    await page.getByLabel('Health band').selectOption('');
    await expect.poll(async () => bandCells.count()).toBe(50);
    const rooms = () =>
      table
        .locator('tbody tr td:first-child a')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    const firstPage = await rooms();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2', { exact: true }).waitFor();
    await expect.poll(async () => (await rooms())[0]).not.toBe(firstPage[0]);
    const secondPage = await rooms();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((room) => firstPage.includes(room))).toEqual([]);
    await page.getByRole('tab', { name: 'Board' }).click();
    await page.locator('[data-testid^="card-"]').first().waitFor();
    await check(page, '06-pipeline-board');

    // A first visit straight to the pipeline (new browser context, only the session): the app uses the
    // workspace the page preloaded instead of asking again, and the first rows arrive.
    const cold = await browser.newContext();
    try {
      await cold.addCookies(await page.context().cookies());
      const firstVisit = await cold.newPage();
      await firstVisit.goto(`${demo.url}/pipeline`);
      await firstVisit.locator('[data-testid="pipeline-table"] tbody tr').first().waitFor();
      const workspaceRequests = await firstVisit.evaluate(
        () =>
          performance
            .getEntriesByType('resource')
            .filter((entry) => new URL(entry.name).pathname === '/api/v1/workspace').length,
      );
      expect(workspaceRequests).toBe(1);
    } finally {
      await cold.close();
    }
  });

  it('the manager approves it, sends it and sees the forecast change with the call', async () => {
    expect(atRiskContractId).not.toBe('');
    const page = await newPage();
    await signIn(page, demo.manager);
    const approval = page.getByTestId(`approval-${atRiskContractId}`);
    await approval.waitFor();
    const commitCell = page.getByTestId('forecast-next-commit').or(page.getByTestId('forecast-this-commit'));
    await page.getByTestId('forecast-next-commit').waitFor();
    const before = {
      next: await page.getByTestId('forecast-next-commit').textContent(),
      current: await page.getByTestId('forecast-this-commit').textContent(),
    };
    await check(page, '07-manager-home');

    await approval.getByRole('button', { name: /^Approve/ }).click();
    await approval.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .filter({ hasText: `Approved ${atRiskAccount}` })
      .waitFor();

    // Send it to the customer, and call the renewal commit now that the terms are agreed internally.
    await page.getByRole('status').getByRole('link', { name: atRiskAccount }).click();
    await page.waitForURL(`**/renewals/${atRiskContractId}`);
    const proposal = page.locator('section[aria-labelledby="proposal-title"]');
    await proposal.getByTestId('proposal-status').getByText('Approved', { exact: true }).waitFor();
    await proposal.getByRole('button', { name: 'Send to customer' }).click();
    await proposal.getByTestId('proposal-status').getByText('Sent', { exact: true }).waitFor();
    const call = page.locator('section[aria-labelledby="forecast-title"]');
    await call.getByLabel('Your call').click();
    await page.getByRole('option', { name: 'Commit' }).click();
    await call.getByRole('button', { name: 'Save' }).click();
    await call.getByText('Saved.').waitFor();
    await check(page, '08-renewal-room-approved');

    await nav(page, 'Home');
    await page.getByTestId('forecast-next-commit').waitFor();
    await expect
      .poll(async () => ({
        next: await page.getByTestId('forecast-next-commit').textContent(),
        current: await page.getByTestId('forecast-this-commit').textContent(),
      }))
      .not.toEqual(before);
    expect(await commitCell.count()).toBeGreaterThan(0);
    await check(page, '09-manager-home-after', { axe: false });

    // The agreement goes out for signature and the signer opens it: the room shows them, viewed.
    const [sent] = await demo.test.store.query<{ id: number }>(
      'SELECT id FROM proposals WHERE tenant_id = $1 AND contract_id = $2 ORDER BY version DESC LIMIT 1',
      [demo.tenantId, atRiskContractId],
    );
    const contract = await generateRenewalContract({
      store: demo.test.store,
      tenantId: demo.tenantId,
      proposalId: Number(sent!.id),
      actorId: demo.manager.userId,
      at: new Date().toISOString(),
      signer: { name: 'Dana Whitfield', email: 'dana.whitfield@customer.example' },
    });
    await applySignatureEvent({
      store: demo.test.store,
      provider: 'journey',
      event: {
        eventId: `viewed-${contract.signatureId}`,
        type: 'viewed',
        signatureRequestId: contract.signatureId,
        occurredAt: new Date().toISOString(),
      },
    });
    await page.goto(`${demo.url}/renewals/${atRiskContractId}`);
    const signer = page
      .locator('section[aria-labelledby="signature-title"]')
      .getByTestId(`signer-${contract.signatureId}`);
    await signer.getByText('Viewed', { exact: true }).waitFor();
    await signer.getByText('Dana Whitfield').waitFor();
    await signer.getByText(/link valid until/).waitFor();
    await check(page, '09b-renewal-room-signature');
  });

  it('an executive reads the retention waterfall, the forecast, early renewals and win/loss', async () => {
    const page = await newPage();
    await signIn(page, demo.executive);
    const waterfall = page.getByTestId('waterfall');
    await waterfall.waitFor();
    await waterfall.getByRole('rowheader', { name: 'Starting ARR' }).waitFor();
    await waterfall.getByRole('rowheader', { name: 'Ending ARR' }).waitFor();
    await waterfall.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await waterfall.locator('.recharts-bar-rectangle').count()).toBe(5);
    await check(page, '10-executive-home');

    await nav(page, 'Forecast & metrics');
    await page.getByTestId('forecast-page').waitFor();
    await check(page, '11-forecast');
    await nav(page, 'Early renewal');
    await page.getByRole('heading', { name: /Qualified candidates/ }).waitFor();
    await check(page, '12-early-renewal');
    await nav(page, 'Win / loss');
    await page.getByRole('heading', { name: 'Reasons' }).waitFor();
    await check(page, '13-win-loss');

    // The same page in Japanese and German, formatted per locale.
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: '日本語' }).click();
    await page.getByRole('heading', { name: '勝因・敗因分析' }).waitFor();
    await check(page, '14-win-loss-ja', { axe: false });
    await page.getByRole('button', { name: /アカウントメニュー/ }).click();
    await page.getByRole('menuitem', { name: 'Deutsch' }).click();
    await nav(page, 'Start');
    await page.getByRole('heading', { name: 'Retention im Überblick' }).waitFor();
    await check(page, '15-executive-home-de', { axe: false });
  });
});
