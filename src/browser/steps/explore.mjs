// Explore steps: completion, a query run, Grafana-aware lint and completion, dashboard controls, filter for value,
// and Grafana's icons and fonts.
import { check, menuOptions, openExploreCode, retype, runAndWait, seriesRows, shot, TIMEOUT } from './common.mjs';

export async function queryEditor(page) {
  await openExploreCode(page);
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
  const results = page.getByLabel('Query results').getByRole('table', { name: 'Series' }).locator('tbody tr');
  await results.first().waitFor({ timeout: TIMEOUT });
  const rows = await results.evaluateAll((trs) =>
    trs.map((tr) => ({
      name: tr.querySelector('[data-cell="name"]').textContent,
      type: tr.querySelector('[data-cell="type"]').textContent,
      points: Number(tr.querySelector('[data-cell="points"]').textContent),
    }))
  );
  const series = rows.map((r) => r.name);
  // Explore runs range and instant queries (Grafana's "Both"): 8 series for job="api", once each.
  const range = rows.filter((r) => r.type === 'timeseries-multi' && r.points === 361);
  const instant = rows.filter((r) => r.type === 'numeric-multi' && r.points === 1);
  check(
    series.length === 16 && range.length === 8 && instant.length === 8,
    `8 range and 8 instant series for job="api" (got ${series.length}: ${JSON.stringify(series)})`
  );
  check(await section.getByRole('img', { name: 'Graph' }).isVisible(), 'the range series are drawn');
  check(
    series.every((s) => s.startsWith('fixture_http_requests_total{') && s.includes('job="api"')),
    `series are named after the metric and labels (got ${JSON.stringify(series)})`
  );
  await shot(section, '02-query-results.png');
}

/** Grafana-aware linting and completion: variables are never flagged, real errors are, $__ variables complete. */
export async function grafanaAwareEditor(page) {
  await openExploreCode(page);
  const section = page.getByRole('region', { name: 'Query editor' });
  const editor = page.getByLabel('PromQL query', { exact: true });
  const migrated = 'sum by (status) (rate(fixture_http_requests_total{job="$job"}[$__rate_interval]))';
  await retype(page, editor, migrated);
  await page.keyboard.press('Escape');
  // The linter runs 300 ms after the last change.
  await page.waitForTimeout(800);
  const marks = await section.locator('.cm-lintRange-error').count();
  check(marks === 0, `a migrated query with $__rate_interval and $job shows no error mark (got ${marks})`);
  await shot(section, '10-migrated-query-no-errors.png');

  await retype(page, editor, 'sum(fixture_up) by job');
  await page.keyboard.press('Escape');
  const mark = section.locator('.cm-lintRange-error');
  await mark.first().waitFor({ timeout: TIMEOUT });
  check((await mark.allTextContents()).join('') === 'job', 'the error mark is on "job"');
  await mark.first().hover();
  const tooltip = page.locator('.cm-tooltip-lint');
  await tooltip.waitFor({ timeout: TIMEOUT });
  const message = await tooltip.textContent();
  check(
    message.includes('unexpected identifier "job" in grouping opts, expected "("'),
    `sum(x) by job is flagged in Prometheus' words (got ${message})`
  );
  await shot(page.locator('body'), '11-lint-error.png');

  await retype(page, editor, 'rate(fixture_http_requests_total[');
  const options = page.locator('.cm-tooltip-autocomplete li');
  // The list of the metric name typed before the [ may still be open for a moment.
  await options.filter({ hasText: '$__rate_interval' }).first().waitFor({ timeout: TIMEOUT }).catch(() => {});
  const labels = await options.allTextContents();
  for (const want of ['$__rate_interval', '$__interval', '$__range', '$job']) {
    check(labels.some((l) => l.startsWith(want)), `completion after [ offers ${want} (got ${JSON.stringify(labels)})`);
  }
  await shot(page.locator('body'), '12-range-variable-completion.png');
  await page.keyboard.press('Escape');
}

/** Ad-hoc filter keys and values from the workspace, then group-by and a scope reaching the backend. */
export async function dashboardControls(page) {
  await openExploreCode(page);
  const section = page.getByRole('region', { name: 'Query editor' });
  const editor = page.getByLabel('PromQL query', { exact: true });

  await page.locator('#playground-filter-key').click();
  const keys = await menuOptions(page);
  for (const want of ['instance', 'job', 'method', 'status']) {
    check(keys.includes(want), `ad-hoc filter keys list ${want} (got ${JSON.stringify(keys)})`);
  }
  check(!keys.includes('__name__'), 'ad-hoc filter keys leave out __name__');
  await page.getByRole('option', { name: 'status', exact: true }).click();
  await page.locator('#playground-filter-value').click();
  const values = await menuOptions(page);
  check(JSON.stringify(values) === '["200","201","500"]', `ad-hoc filter values of status (got ${JSON.stringify(values)})`);
  await shot(page.locator('body'), '14-adhoc-filter-values.png');
  await page.getByRole('option', { name: '500', exact: true }).click();

  await page.locator('#playground-group-by').click();
  await page.getByRole('option', { name: 'instance', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByText('Scope: api only').click();
  check(await page.locator('#playground-scope').isChecked(), 'the scope is on');

  const rows = await runAndWait(
    page,
    editor,
    'sum by (status) (rate(fixture_http_requests_total[$__rate_interval]))',
    (r) => r.length > 0 && r.every((x) => x.name.includes('instance=')),
    'group-by instance reaches the backend'
  );
  const range = rows.filter((r) => r.type === 'timeseries-multi').map((r) => r.name).sort();
  check(
    JSON.stringify(range) === JSON.stringify(['{instance="api-1:8080", status="500"}', '{instance="api-2:8080", status="500"}']),
    `filtered to status 500, scoped to the api job, grouped by status and instance (got ${JSON.stringify(range)})`
  );
  await shot(section, '15-group-by-and-scope.png');
  await section.getByRole('button', { name: 'Clear dashboard controls' }).click();
}

/** Explore's "filter for value" and "filter out value" rewrite the query through modifyQuery. */
export async function filterForValue(page) {
  await openExploreCode(page);
  const section = page.getByRole('region', { name: 'Query editor' });
  const editor = page.getByLabel('PromQL query', { exact: true });
  await runAndWait(page, editor, 'fixture_http_requests_total{job="api"}', (r) => r.length === 16, '16 series for job="api"');
  await section.getByRole('button', { name: 'Filter for method="POST"' }).first().click();
  const want = 'fixture_http_requests_total{job="api", method="POST"}';
  await page.waitForFunction(
    (w) => document.querySelector('[aria-label="PromQL query"]')?.textContent === w,
    want,
    { timeout: TIMEOUT }
  );
  for (let i = 0; i < 50 && (await seriesRows(page)).length !== 8; i++) {
    await page.waitForTimeout(200);
  }
  const rows = await seriesRows(page);
  check(rows.length === 8 && rows.every((r) => r.name.includes('method="POST"')), `only POST series remain (got ${JSON.stringify(rows)})`);
  await shot(section, '16-filter-for-value.png');
  await section.getByRole('button', { name: 'Filter out status="500"' }).first().click();
  await page.waitForFunction(
    (w) => document.querySelector('[aria-label="PromQL query"]')?.textContent === w,
    'fixture_http_requests_total{job="api", method="POST", status!="500"}',
    { timeout: TIMEOUT }
  );
}

/** Icons and fonts come from the page server, as Grafana serves them: the SVGs render and Inter is loaded. */
export async function grafanaAssets(page) {
  const nav = page.getByRole('navigation', { name: 'Playground pages' });
  await nav.locator('svg').first().waitFor({ timeout: TIMEOUT });
  const icons = await nav.locator('svg').count();
  check(icons >= 5, `the navigation shows Grafana's icons (got ${icons} svg elements)`);
  const inter = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Inter' && f.status === 'loaded');
  });
  check(inter, 'the Inter font is loaded');
}
