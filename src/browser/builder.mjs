// Drives the query builder on the playground's #/explore page in Debian's Chromium with playwright-core: builds a
// query visually on the fixture workspace, runs it, switches to Code and back, opens Explain and Kick start, and
// finds a metric in the metrics browser and uses it. Started by pkg/e2e/builder_browser_test.go, which serves the
// page; a failed check exits non-zero with its reason.
//
// Environment: HARNESS_URL (the page), ARTIFACTS_DIR (screenshots), USER_DATA_DIR (a fresh profile),
// CHROMIUM_PATH (default /usr/bin/chromium).
import { join } from 'node:path';

import { artifacts, check, launch, open, seriesRows, shot, TIMEOUT } from './steps/common.mjs';

const BUILT = 'sum by (status) (rate(fixture_http_requests_total{job="api"}[$__rate_interval]))';
const BROWSED = 'fixture_temperature_celsius{city="Zürich"}';

/**
 * Picks an option of a Grafana Select found by its input id, typing first to narrow the list when asked; a string
 * option must match exactly ("Sum" is not "Sum over time").
 */
async function pick(page, inputId, option, typed) {
  await page.locator(`#${inputId}`).click();
  if (typed) {
    await page.keyboard.type(typed, { delay: 20 });
  }
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).first().click();
}

/** Waits until the builder's PromQL preview shows `want`. */
async function preview(page, want) {
  const pre = page.getByLabel('Builder PromQL');
  await page.waitForFunction(
    (w) => document.querySelector('[aria-label="Builder PromQL"]')?.textContent === w,
    want,
    { timeout: TIMEOUT }
  );
  return pre;
}

/** The names of the series in the results table once it has `count` rows. */
async function resultNames(page, count) {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[aria-label="Query results"] table tbody tr').length === n,
    count,
    { timeout: TIMEOUT }
  );
  return (await seriesRows(page)).map((row) => row.name);
}

async function build(page, section) {
  check(await section.getByRole('radio', { name: 'Builder' }).isChecked(), 'a new query opens in the Builder');
  await pick(page, 'amp-builder-A-metric', /^fixture_http_requests_total/, 'fixture_http');
  await section.getByRole('button', { name: 'Add label filter' }).click();
  await pick(page, 'amp-builder-A-label-0', 'job');
  await pick(page, 'amp-builder-A-value-0', 'api');
  await pick(page, 'amp-builder-A-add-operation', 'Rate', 'Rate');
  await pick(page, 'amp-builder-A-add-operation', 'Sum', 'Sum');
  await section.getByRole('radio', { name: 'by', exact: true }).click();
  const labels = section.getByLabel('Operation 2 labels');
  await labels.fill('status');
  await labels.press('Enter');
  await preview(page, BUILT);
  await shot(section, 'builder-01-built.png');

  // Explore runs range and instant queries: statuses 200 and 500 of job="api", once each.
  const names = await resultNames(page, 4);
  check(
    names.filter((n) => n.includes('status="200"')).length === 2 && names.filter((n) => n.includes('status="500"')).length === 2,
    `the built query returns the sums by status (got ${JSON.stringify(names)})`
  );
  await shot(section, 'builder-02-results.png');
}

async function codeAndBack(page, section) {
  await section.getByRole('radio', { name: 'Code' }).click();
  const editor = page.getByLabel('PromQL query', { exact: true });
  await editor.waitFor({ timeout: TIMEOUT });
  const text = await editor.textContent();
  check(text === BUILT, `Code shows the built PromQL (got ${text})`);
  await shot(section, 'builder-03-code.png');
  await section.getByRole('radio', { name: 'Builder' }).click();
  await preview(page, BUILT);
  check(await section.getByLabel('Operation 2: Sum').isVisible(), 'back in the Builder with the same operations');
}

async function explain(page, section) {
  await section.getByText('Explain', { exact: true }).click();
  const region = section.getByRole('region', { name: 'Explain' });
  await region.waitFor({ timeout: TIMEOUT });
  for (const sentence of ['per-second rate over the last $__rate_interval', 'summed by status', 'fixture_http_requests_total where job is "api"']) {
    check(await region.getByText(sentence, { exact: true }).first().isVisible(), `Explain says "${sentence}"`);
  }
  await shot(section, 'builder-04-explain.png');
  await section.getByText('Explain', { exact: true }).click();
}

async function kickStart(page) {
  await page.getByRole('button', { name: 'Kick start your query' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Error ratio').waitFor({ timeout: TIMEOUT });
  check(
    await dialog.getByText('sum(rate(fixture_http_requests_total{job="api", status=~"5.."}[$__rate_interval]))', { exact: false }).isVisible(),
    'Kick start previews the patterns on the current metric'
  );
  await shot(dialog, 'builder-05-kick-start.png');
  await dialog.getByRole('button', { name: 'Use Error ratio' }).click();
  await preview(
    page,
    'sum(rate(fixture_http_requests_total{job="api", status=~"5.."}[$__rate_interval])) / sum(rate(fixture_http_requests_total{job="api"}[$__rate_interval]))'
  );
  // 0.875 of 15.875 requests per second fail for job="api" (testdata/prometheus/README.md).
  const ratio = page.getByLabel('Query results').getByRole('table', { name: 'Series' }).locator('tbody tr [data-cell="last"]');
  await page.waitForFunction(
    () => [...document.querySelectorAll('[aria-label="Query results"] tbody tr [data-cell="last"]')].some((c) => c.textContent === '0.0551181'),
    undefined,
    { timeout: TIMEOUT }
  );
  check((await ratio.count()) === 2, 'the error ratio is one series, range and instant');
  await shot(page.getByRole('region', { name: 'Query editor' }), 'builder-06-error-ratio.png');
}

async function metricsBrowser(page, section) {
  await page.getByRole('button', { name: 'Metrics browser' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByPlaceholder('Search metrics').fill('temperature');
  const metrics = dialog.getByRole('list', { name: 'Metrics' });
  // The server-side search leaves only the temperature metric. (The test Prometheus is backfilled, not scraped,
  // so it has no metadata: type and HELP are covered by the jest tests.)
  await page.waitForFunction(
    () => {
      const items = [...document.querySelectorAll('[aria-label="Metrics"] li')].map((li) => li.textContent);
      return items.length === 1 && items[0] === 'fixture_temperature_celsius';
    },
    undefined,
    { timeout: TIMEOUT }
  );
  await metrics.getByText('fixture_temperature_celsius', { exact: true }).click();
  await dialog.getByRole('button', { name: 'city (3)' }).click();
  await dialog.getByPlaceholder('Search values of city').fill('zü');
  await dialog.getByRole('list', { name: 'Values of city' }).getByText('Zürich').click();
  const selector = await dialog.getByLabel('Selector').textContent();
  check(selector === BROWSED, `the browser built the selector (got ${selector})`);
  await shot(dialog, 'builder-07-metrics-browser.png');
  await dialog.getByRole('button', { name: 'Use query' }).click();
  await preview(page, BROWSED);
  const names = await resultNames(page, 2);
  check(names.every((n) => n.includes('Zürich')), `the selector's query ran (got ${JSON.stringify(names)})`);
  await shot(section, 'builder-08-browser-query.png');
}

const { context, page, pageErrors } = await launch();
try {
  page.setDefaultTimeout(TIMEOUT);
  await open(page, 'explore', 'Query editor');
  const section = page.getByRole('region', { name: 'Query editor' });
  await build(page, section);
  await codeAndBack(page, section);
  await explain(page, section);
  await kickStart(page);
  await metricsBrowser(page, section);
  check(pageErrors.length === 0, `no page errors (got ${JSON.stringify(pageErrors)})`);
  console.log('builder checks passed');
} catch (err) {
  await page.screenshot({ path: join(artifacts, 'builder-failure.png'), fullPage: true }).catch(() => {});
  console.error(err);
  process.exitCode = 1;
} finally {
  await context.close();
}
