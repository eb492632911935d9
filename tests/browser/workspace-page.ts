/**
 * What every browser journey does with a page: open one in its own context (fresh cookies), sign in
 * through the real form, wait for the page to settle and screenshot it, and list axe's serious or
 * critical findings (WCAG 2.1 A/AA).
 */
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './chromium.ts';

export type PageOpener = {
  newPage: () => Promise<Page>;
  closeAll: () => Promise<void>;
};

/** Laptop-sized pages in English, each in a context of its own; `closeAll` in `afterAll`. */
export function pageOpener(browser: () => Browser): PageOpener {
  const contexts: BrowserContext[] = [];
  return {
    newPage: async () => {
      // Downloads accepted: journeys save exports and error reports and read them back.
      const context = await browser().newContext({
        viewport: { width: 1440, height: 900 },
        locale: 'en-US',
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    closeAll: async () => {
      for (const context of contexts.splice(0)) await context.close();
    },
  };
}

export async function signIn(
  page: Page,
  baseUrl: string,
  { email, password }: { email: string; password: string },
): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Waits for the network and the loading indicators to settle, then saves a full-page screenshot. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('[role="status"]:has-text("Loading")').first().waitFor({ state: 'detached' });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
}
