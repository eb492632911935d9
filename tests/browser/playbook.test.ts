/**
 * Playbook, export and inline task journeys in real headless Chromium against the real app: a manager
 * edits a playbook entry and finds it in the renewal room, exports the forecast as CSV (and XLSX), and
 * reassigns a task; a CSM completes and snoozes tasks from their home and is told when a task changed
 * under them. Screenshots go to tmp/screenshots/; the playbook page is checked with axe.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { type DemoApp, type Person, startDemoApp } from './demo-app.ts';
import { pageOpener, screenshot, seriousAxeViolations, signIn as signInAs } from './workspace-page.ts';

let demo: DemoApp;
let browser: Browser;

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

/** GET through the signed-in page's session. */
async function apiGet<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(`${demo.url}/api/v1${url}`);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}

type Milestone = { key: string; date: string };
type PlaybookItem = { id: string; title: string; milestone: string | null; language: string };

describe('playbook, export and inline tasks', () => {
  it('a manager edits a playbook entry and sees it in the renewal room', async () => {
    const page = await newPage();
    await signIn(page, demo.manager);

    // A renewal of the manager's team, and the playbook entry for its current or next milestone.
    const renewals = await apiGet<{ items: { contractId: string; accountName: string }[] }>(
      page,
      '/renewals?status=open&limit=50&sort=dueDate',
    );
    const library = await apiGet<{ items: PlaybookItem[] }>(page, '/playbook?language=en');
    let target: { contractId: string; accountName: string; milestone: string; entry: PlaybookItem } | null =
      null;
    for (const renewal of renewals.items) {
      const insight = await apiGet<{ renewal: { milestones: Milestone[] } | null }>(
        page,
        `/renewals/${renewal.contractId}/insight`,
      );
      const milestones = insight.renewal?.milestones ?? [];
      const current = [...milestones].reverse().find((m) => m.date <= demo.today);
      const next = milestones.find((m) => m.date > demo.today);
      for (const stop of [current, next]) {
        const entry = library.items.find((item) => stop && item.milestone === stop.key);
        if (stop && entry && !target) target = { ...renewal, milestone: stop.key, entry };
      }
      if (target) break;
    }
    expect(target, 'a renewal whose current or next milestone has playbook entries').not.toBeNull();
    const { contractId, accountName, milestone, entry } = target!;

    await page.getByRole('navigation').getByRole('link', { name: 'Playbook', exact: true }).click();
    await page.getByRole('heading', { name: 'Playbook', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Objection: "The price is too high"' }).waitFor();
    await screenshot(page, '20-playbook');
    expect(await seriousAxeViolations(page), 'axe on the playbook page').toEqual([]);

    // Filter to the milestone, edit the entry in the modal.
    await page.getByRole('combobox', { name: 'Milestone' }).click();
    await page.getByRole('option', { name: milestone, exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('milestone') === milestone);
    await page.getByRole('button', { name: `Edit: ${entry.title}` }).click();
    const dialog = page.getByRole('dialog');
    const newTitle = `${entry.title} (our team's version)`;
    await dialog.getByRole('textbox', { name: 'Title' }).fill(newTitle);
    await dialog.getByRole('textbox', { name: 'Text' }).fill('1. Our own opening\n2. Our own close');
    await screenshot(page, '21-playbook-edit');
    expect(await seriousAxeViolations(page), 'axe on the edit dialog').toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.getByTestId(`playbook-${entry.id}`);
    await card.getByRole('heading', { name: newTitle }).waitFor();
    await card.getByText('Edited', { exact: true }).waitFor();
    await card.getByText('1. Our own opening').waitFor();
    await screenshot(page, '22-playbook-edited');

    // The renewal room lists it under that milestone, linking back to the library.
    await page.goto(`${demo.url}/renewals/${contractId}`);
    await page.getByRole('heading', { name: accountName, level: 1 }).waitFor();
    const section = page.locator('section[aria-labelledby="playbook-title"]');
    const link = section.getByTestId(`room-playbook-${milestone}`).getByRole('link', { name: newTitle });
    await link.waitFor();
    await screenshot(page, '23-renewal-room-playbook');
    await link.click();
    await page.waitForURL(
      (url) => url.pathname === '/playbook' && url.searchParams.get('milestone') === milestone,
    );
    await page.getByRole('heading', { name: newTitle }).waitFor();

    // Reset brings the built-in text back.
    await page.getByRole('button', { name: `Reset to default: ${newTitle}` }).click();
    await page.getByRole('heading', { name: entry.title, exact: true }).waitFor();
  });

  it('a manager exports the forecast as CSV (and XLSX) with the rows on screen', async () => {
    const page = await newPage();
    await signIn(page, demo.manager);
    await page.getByRole('navigation').getByRole('link', { name: 'Forecast & metrics', exact: true }).click();
    await page.getByTestId('forecast-page').waitFor();
    const period = await page.getByRole('combobox', { name: 'Period' }).inputValue();
    const forecast = await apiGet<{
      currency: string;
      renewals: { contractId: string; arr: string; dueDate: string }[];
    }>(page, `/forecast?period=${period}`);
    expect(forecast.renewals.length).toBeGreaterThan(0);

    const forecastSection = page.locator('section[aria-labelledby="forecast-title"]');
    await forecastSection.getByRole('button', { name: 'Export: Team forecast' }).click();
    await screenshot(page, '24-forecast-export-menu');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'CSV (.csv)' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`forecast-${period}.csv`);
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split(/\r\n/);
    const header = lines[0]!.split(',');
    expect(header).toContain(`ARR (${forecast.currency})`);
    expect(lines).toHaveLength(forecast.renewals.length + 1);
    const first = forecast.renewals[0]!;
    const row = lines.find((line) => line.split(',')[1] === first.contractId)!.split(',');
    expect(row[header.indexOf('Due')]).toBe(first.dueDate);
    expect(Number(row[header.indexOf(`ARR (${forecast.currency})`)])).toBe(Number(first.arr));

    await forecastSection.getByRole('button', { name: 'Export: Team forecast' }).click();
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Excel (.xlsx)' }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe(`forecast-${period}.xlsx`);
    const workbook = readFileSync((await xlsx.path())!);
    expect(workbook.subarray(0, 2).toString('latin1')).toBe('PK'); // an OOXML zip
  });

  it('a CSM completes and snoozes tasks inline and is told when a task changed under them', async () => {
    const page = await newPage();
    await signIn(page, demo.csm);
    const tasks = page.locator('section[aria-labelledby="tasks-title"]');
    const completeButtons = tasks.getByRole('button', { name: /^Complete: / });
    await completeButtons.first().waitFor();
    expect(await completeButtons.count()).toBeGreaterThan(2);

    // Complete the first task.
    const completeTitle = ((await completeButtons.first().getAttribute('aria-label')) ?? '').slice(
      'Complete: '.length,
    );
    await completeButtons.first().click();
    await tasks
      .getByRole('status')
      .filter({ hasText: `Completed “${completeTitle}”` })
      .waitFor();
    await screenshot(page, '25-csm-home-task-completed');

    // Snooze the next one to a chosen date.
    const snooze = tasks.getByRole('button', { name: /^Snooze…: / }).first();
    const snoozeTitle = ((await snooze.getAttribute('aria-label')) ?? '').slice('Snooze…: '.length);
    await snooze.click();
    const until = new Date(Date.parse(`${demo.today}T00:00:00Z`) + 45 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await page.getByLabel('Snooze until').fill(until);
    await screenshot(page, '26-csm-home-snooze');
    await page.getByRole('dialog').getByRole('button', { name: 'Move the due date' }).click();
    await tasks
      .getByRole('status')
      .filter({ hasText: `“${snoozeTitle}” is now due` })
      .waitFor();

    // Someone changes a task after the page loaded it: completing it answers 409 with a clear message.
    const stale = tasks.getByRole('button', { name: /^Complete: / }).first();
    await stale.waitFor();
    const staleTitle = ((await stale.getAttribute('aria-label')) ?? '').slice('Complete: '.length);
    const open = await apiGet<{ items: { id: number; title: string; version: number; dueDate: string }[] }>(
      page,
      '/tasks?owner=me&status=open&limit=200',
    );
    const task = open.items.find((item) => item.title === staleTitle)!;
    const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'perennial_csrf')!.value;
    const later = new Date(Date.parse(`${task.dueDate}T00:00:00Z`) + 3 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const elsewhere = await page.request.post(`${demo.url}/api/v1/tasks/${task.id}/snooze`, {
      data: { version: task.version, until: later },
      headers: { 'x-csrf-token': decodeURIComponent(csrf) },
    });
    expect(elsewhere.status()).toBe(200);
    await stale.click();
    await tasks.getByRole('alert').filter({ hasText: 'This task changed since you loaded it' }).waitFor();
    await screenshot(page, '27-csm-home-task-conflict');
  });

  it('a manager reassigns a task of their team from the renewal room', async () => {
    const page = await newPage();
    await signIn(page, demo.manager);
    const open = await apiGet<{ items: { contractId: string; title: string; ownerUserId: string | null }[] }>(
      page,
      `/tasks?owner=${demo.csm.userId}&status=open&limit=50`,
    );
    const task = open.items[0]!;
    await page.goto(`${demo.url}/renewals/${task.contractId}`);
    const timeline = page.locator('section[aria-labelledby="timeline-title"]');
    await timeline.getByRole('button', { name: `Reassign: ${task.title}` }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: 'New owner' }).click();
    await page.getByRole('option', { name: demo.manager.name, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reassign' }).click();
    await timeline
      .getByRole('status')
      .filter({ hasText: `now belongs to ${demo.manager.name}` })
      .waitFor();
    // The signature section says where the contract stands (nothing sent yet for this one).
    await page
      .locator('section[aria-labelledby="signature-title"]')
      .getByText(/sent for signature|signature|proposal is/i)
      .first()
      .waitFor();
    await screenshot(page, '28-renewal-room-task-reassigned');
  });
});
