// Helpers shared by the browser steps: environment, checks, screenshots and Grafana widgets.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

export const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

export const harnessUrl = env('HARNESS_URL');
export const artifacts = env('ARTIFACTS_DIR');

export const TIMEOUT = 15_000;

/**
 * Starts Debian's Chromium (CHROMIUM_PATH) headless on a fresh profile (USER_DATA_DIR) and returns the browser
 * context, its page and the list the page's uncaught errors are collected in. The artifacts folder is created.
 */
export async function launch({ width = 1280, height = 1000 } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const context = await chromium.launchPersistentContext(env('USER_DATA_DIR'), {
    executablePath: env('CHROMIUM_PATH', '/usr/bin/chromium'),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width, height },
    colorScheme: 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { context, page, pageErrors };
}

export function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

/** Opens one of the playground's routes in a freshly loaded page and waits for it. */
export async function open(page, route, region) {
  await page.goto(`${harnessUrl}#/${route}`);
  // A fresh page per step: what an earlier step typed must not leak into this one.
  await page.reload();
  await page.getByRole('region', { name: region }).waitFor({ timeout: TIMEOUT });
}

/** Opens #/explore and switches the new query to Code: it opens in the Builder, as in Grafana. */
export async function openExploreCode(page) {
  await open(page, 'explore', 'Query editor');
  await page.getByRole('region', { name: 'Query editor' }).getByRole('radio', { name: 'Code' }).click();
}

export async function shot(locator, name) {
  const path = join(artifacts, name);
  await locator.screenshot({ path });
  console.log(`screenshot ${path}`);
}

/** Picks an option of a Grafana Select, found by its input id. */
export async function choose(page, inputId, option) {
  await page.locator(`#${inputId}`).click();
  await page.getByRole('option', { name: option }).click();
}

/** Replaces the text of the focused-to-be CodeMirror editor. */
export async function retype(page, editor, text) {
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text, { delay: 5 });
}

/** The option texts of an open Grafana Select menu. */
export async function menuOptions(page) {
  const options = page.getByRole('option');
  await options.first().waitFor({ timeout: TIMEOUT });
  return options.allTextContents();
}

/** The series rows of the Explore results table. */
export async function seriesRows(page) {
  return page
    .getByLabel('Query results')
    .getByRole('table', { name: 'Series' })
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => ({
        name: tr.querySelector('[data-cell="name"]').textContent,
        type: tr.querySelector('[data-cell="type"]').textContent,
      }))
    );
}

/** Runs the Explore query and waits until the results table satisfies `done`. */
export async function runAndWait(page, editor, expr, done, what) {
  await retype(page, editor, expr);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Enter');
  let rows = [];
  for (let i = 0; i < 50; i++) {
    rows = await seriesRows(page).catch(() => []);
    if (done(rows)) {
      return rows;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`check failed: ${what} (got ${JSON.stringify(rows)})`);
}
