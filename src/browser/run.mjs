// Drives Debian's Chromium through the editor harness page with playwright-core: PromQL completion from the test
// Prometheus, a query run, a template variable, and the config editor with the workspace picker. Started by
// pkg/e2e/browser_test.go, which serves the page; every check failing here exits non-zero with its reason.
//
// Environment: HARNESS_URL (the page), ARTIFACTS_DIR (screenshots), USER_DATA_DIR (a fresh profile),
// CHROMIUM_PATH (default /usr/bin/chromium), EXPECTED_WORKSPACE_URL (what the picker must fill in).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

const harnessUrl = env('HARNESS_URL');
const artifacts = env('ARTIFACTS_DIR');
const userDataDir = env('USER_DATA_DIR');
const executablePath = env('CHROMIUM_PATH', '/usr/bin/chromium');
const expectedWorkspaceUrl = env('EXPECTED_WORKSPACE_URL');

const TIMEOUT = 15_000;

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

async function shot(locator, name) {
  const path = join(artifacts, name);
  await locator.screenshot({ path });
  console.log(`screenshot ${path}`);
}

/** Picks an option of a Grafana Select, found by its input id. */
async function choose(page, inputId, option) {
  await page.locator(`#${inputId}`).click();
  await page.getByRole('option', { name: option }).click();
}

async function queryEditor(page) {
  const section = page.getByRole('region', { name: 'Query editor' });
  const editor = page.getByLabel('PromQL query', { exact: true });
  await editor.click();
  await page.keyboard.type('fixture_ht', { delay: 20 });

  // Completion from the test Prometheus through the plugin's resources.
  const options = page.locator('.cm-tooltip-autocomplete li');
  await options.first().waitFor({ timeout: TIMEOUT });
  const labels = await options.allTextContents();
  check(
    labels.some((l) => l.startsWith('fixture_http_requests_total')),
    `completion offers fixture_http_requests_total (got ${JSON.stringify(labels)})`
  );
  await shot(section, '01-completion.png');

  // CodeMirror ignores Enter for a moment after the list opens.
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await page.keyboard.type('{job="api"}', { delay: 20 });
  await page.keyboard.press('Escape');
  const text = await editor.textContent();
  check(text === 'fixture_http_requests_total{job="api"}', `the editor holds the completed query (got ${text})`);

  await page.keyboard.press('Shift+Enter');
  const results = page.getByLabel('Query results').locator('li');
  await results.first().waitFor({ timeout: TIMEOUT });
  const series = await results.allTextContents();
  check(series.length === 8, `8 series for job="api" (got ${series.length}: ${JSON.stringify(series)})`);
  check(
    series.every((s) => s.startsWith('fixture_http_requests_total{') && s.includes('job="api"')),
    `series are named after the metric and labels (got ${JSON.stringify(series)})`
  );
  await shot(section, '02-query-results.png');
}

async function variable(page) {
  const section = page.getByRole('region', { name: 'Variable' });
  await section.getByRole('button', { name: 'Resolve' }).click();
  const values = section.getByLabel('Variable values').locator('li');
  await values.first().waitFor({ timeout: TIMEOUT });
  const texts = await values.allTextContents();
  check(JSON.stringify(texts) === JSON.stringify(['api', 'worker']), `label_values(fixture_up, job) (got ${JSON.stringify(texts)})`);
  await shot(section, '03-variable.png');
}

async function configEditor(page) {
  const section = page.getByRole('region', { name: 'Config editor' });
  const status = page.getByLabel('Config status');

  await choose(page, 'amp-auth-type', 'Access & secret key');
  await section.getByText('Save the data source to load workspaces').waitFor({ timeout: TIMEOUT });
  check(await page.locator('#amp-picker-workspace').isDisabled(), 'the picker waits for a save after the credentials changed');
  await page.locator('#amp-access-key').fill('AKIAIOSFODNN7EXAMPLE');
  await page.locator('#amp-secret-key').fill('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  await page.locator('#amp-timeInterval').fill('15s');
  await shot(section, '04-config-unsaved.png');

  await section.getByRole('button', { name: 'Save', exact: true }).click();
  await status.getByText('Saved (version 2)').waitFor({ timeout: TIMEOUT });

  // The picker lists the emulated control plane's workspaces with the saved keys.
  await page.locator('#amp-picker-workspace').click();
  const emulated = page.getByRole('option', { name: /^emulated \(ws-/ });
  await emulated.waitFor({ timeout: TIMEOUT });
  await page.getByRole('option', { name: /^staging \(/ }).waitFor({ timeout: TIMEOUT });
  await shot(page.locator('body'), '05-workspace-picker.png');
  await emulated.click();
  const url = page.locator('#amp-url');
  await page.waitForFunction(
    (want) => document.querySelector('#amp-url')?.value === want,
    expectedWorkspaceUrl,
    { timeout: TIMEOUT }
  );
  check((await url.inputValue()) === expectedWorkspaceUrl, 'the picker filled the workspace URL');
  check((await page.locator('#amp-region').inputValue()) !== '', 'the picker filled the region');

  await section.getByRole('button', { name: 'Save & test' }).click();
  await status.getByText(/^Test: success/).waitFor({ timeout: TIMEOUT });
  await shot(section, '06-config-saved-and-tested.png');
}

mkdirSync(artifacts, { recursive: true });
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1280, height: 1000 },
  colorScheme: 'light',
});
let failed = false;
const page = context.pages()[0] ?? (await context.newPage());
const pageErrors = [];
page.on('pageerror', (err) => pageErrors.push(err.message));
try {
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(harnessUrl);
  await page.getByRole('heading', { name: /editor harness/ }).waitFor({ timeout: TIMEOUT });
  await queryEditor(page);
  await variable(page);
  await configEditor(page);
  await page.screenshot({ path: join(artifacts, '07-full-page.png'), fullPage: true });
  check(pageErrors.length === 0, `no uncaught errors in the page (got ${JSON.stringify(pageErrors)})`);
  console.log('browser checks passed');
} catch (err) {
  failed = true;
  console.error(err instanceof Error ? err.stack : err);
  await page.screenshot({ path: join(artifacts, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await context.close();
}
process.exit(failed ? 1 : 0);
