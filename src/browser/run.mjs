// Drives Debian's Chromium through the playground page with playwright-core, route by route: PromQL completion
// from the test Prometheus and a query run (#/explore), a template variable (#/variables), annotations
// (#/annotations), the config editor with the workspace picker (#/config), and a dashboard saved by Grafana's core
// Prometheus data source after the migration to this plugin (#/dashboard). Started by pkg/e2e/browser_test.go,
// which serves the page; every check failing here exits non-zero with its reason.
//
// Environment: HARNESS_URL (the page), ARTIFACTS_DIR (screenshots), USER_DATA_DIR (a fresh profile),
// CHROMIUM_PATH (default /usr/bin/chromium), EXPECTED_WORKSPACE_URL (what the picker must fill in).
import { mkdirSync, readFileSync } from 'node:fs';
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

// The dashboard the harness page migrates and opens; its queries are checked against the editors verbatim.
const savedDashboard = JSON.parse(
  readFileSync(new URL('../testing/prometheus_dashboard.json', import.meta.url), 'utf8')
);
const PLUGIN_TYPE = 'grafana-amazonprometheus-datasource';

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

/** Opens one of the playground's routes and waits for its page. */
async function open(page, route, region) {
  await page.goto(`${harnessUrl}#/${route}`);
  await page.getByRole('region', { name: region }).waitFor({ timeout: TIMEOUT });
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
  await open(page, 'explore', 'Query editor');
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

async function variable(page) {
  await open(page, 'variables', 'Variable');
  const section = page.getByRole('region', { name: 'Variable' });
  await section.getByRole('button', { name: 'Resolve' }).click();
  const values = section.getByLabel('Variable values').locator('li');
  await values.first().waitFor({ timeout: TIMEOUT });
  const texts = await values.allTextContents();
  check(JSON.stringify(texts) === JSON.stringify(['api', 'worker']), `label_values(fixture_up, job) (got ${JSON.stringify(texts)})`);
  await shot(section, '03-variable.png');
}

async function configEditor(page) {
  await open(page, 'config', 'Config editor');
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

/** Icons and fonts come from the page server, as Grafana serves them: the SVGs render and Inter is loaded. */
async function grafanaAssets(page) {
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

async function annotations(page) {
  await open(page, 'annotations', 'Annotations');
  const section = page.getByRole('region', { name: 'Annotations' });
  await section.getByRole('button', { name: 'Run annotation query' }).click();
  const rows = section.getByRole('table', { name: 'Annotation events' }).locator('tbody tr');
  await rows.first().waitFor({ timeout: TIMEOUT });
  const events = await rows.evaluateAll((trs) =>
    trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.cell, td.textContent])))
  );
  check(events.length > 0, 'the annotation query gave events');
  // Every 500 counter is non-zero from its first sample on: one region per series, spanning the range.
  check(
    events.every((e) => e.title.endsWith(' errors') && e.end.startsWith('2026-01-01T06:00') && e.tags === e.title.split(' ')[0]),
    `one region per series, titled and tagged from the labels (got ${JSON.stringify(events)})`
  );
  await shot(section, '09-annotations.png');
}

/** The editor's labels for a saved target's legend mode, format and query type. */
function editorChoices(target) {
  const legend = target.legendFormat === '__auto' ? 'Auto' : target.legendFormat ? 'Custom' : 'Verbatim';
  const format = { table: 'Table', heatmap: 'Heatmap' }[target.format] ?? 'Time series';
  const type = target.range && target.instant ? 'Both' : target.instant ? 'Instant' : 'Range';
  return { legend, format, type };
}

const near = (got, want) => Math.abs(got - want) < 1e-6;

/** What each panel type of the saved dashboard must return for job="api" (testdata/prometheus/README.md). */
const panelChecks = {
  timeseries(frames) {
    check(frames.length === 2, `sum by (status) gives 2 series (got ${frames.length})`);
    const byName = Object.fromEntries(frames.map((f) => [f.fields[1], f]));
    check(
      JSON.stringify(Object.keys(byName).sort()) === '["200","500"]',
      `display names come from the {{status}} legend (got ${JSON.stringify(frames.map((f) => f.fields))})`
    );
    check(frames.every((f) => f.fields[0] === 'Time' && f.rows > 100), 'range frames with a time field and many rows');
    check(near(byName['200'].last[0], 15) && near(byName['500'].last[0], 0.875), 'rates by status are 15 and 0.875');
  },
  table(frames) {
    check(frames.length === 1 && frames[0].type === 'table', `one table frame (got ${JSON.stringify(frames)})`);
    const columns = JSON.stringify(frames[0].fields);
    check(columns === '["Time","__name__","instance","job","Value"]', `Time, label and Value columns (got ${columns})`);
    check(frames[0].rows === 2 && frames[0].last[0] === 1, 'two api targets, up');
  },
  stat(frames) {
    check(frames.length === 1 && frames[0].rows === 1, `one instant sample (got ${JSON.stringify(frames)})`);
    check(near(frames[0].last[0], 15.875), `sum(rate) for job="api" is 15.875 (got ${frames[0].last[0]})`);
  },
  heatmap(frames) {
    check(
      frames.length === 1 && frames[0].type === 'heatmap-rows',
      `one heatmap-rows frame (got ${JSON.stringify(frames)})`
    );
    const [time, ...buckets] = frames[0].fields;
    check(
      time === 'Time' && JSON.stringify(buckets) === '["0.05","0.1","0.25","0.5","1","2.5","+Inf"]',
      `bucket fields sorted by le (got ${JSON.stringify(frames[0].fields)})`
    );
    // Cumulative bucket rates 3, 5, 8, 10, 11, 12, 12 per second, less the bucket below each.
    const want = [3, 2, 3, 2, 1, 1, 0];
    check(
      frames[0].last.length === want.length && want.every((w, i) => near(frames[0].last[i], w)),
      `de-accumulated buckets (got ${JSON.stringify(frames[0].last)})`
    );
  },
};

/** Reads a panel's results table. */
function readFrames(panel) {
  return panel
    .getByLabel('Panel results')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => ({
        type: row.dataset.frameType,
        fields: [...row.querySelectorAll('[data-cell="fields"] code')].map((c) => c.textContent),
        rows: Number(row.querySelector('[data-cell="rows"]').textContent),
        last: [...row.querySelectorAll('[data-cell="last"] code')].map((c) => Number(c.textContent)),
      }))
    );
}

async function migratedDashboard(page) {
  await open(page, 'dashboard', 'Migrated dashboard');
  const section = page.getByRole('region', { name: 'Migrated dashboard' });
  await section.getByRole('button', { name: 'Open migrated dashboard' }).click();
  const status = section.getByLabel('Dashboard status');
  await status.getByText(/^(Ran|Failed)/).waitFor({ timeout: TIMEOUT });
  const statusText = await status.textContent();
  check(statusText === `Ran ${savedDashboard.panels.length} panels`, `the dashboard ran (got ${statusText})`);
  const migration = await section.getByLabel('Migration').textContent();
  check(
    migration.includes(`switched from prometheus to ${PLUGIN_TYPE}`),
    `the references were migrated (got ${migration})`
  );

  const variable = savedDashboard.templating.list[0];
  const current = await section.getByLabel(`Variable ${variable.name}`, { exact: true }).textContent();
  const options = await section.getByLabel(`Variable ${variable.name} options`).locator('li').allTextContents();
  check(
    current === 'api' && JSON.stringify(options) === '["api","worker"]',
    `$job resolved (got ${current} of ${options})`
  );

  for (const saved of savedDashboard.panels) {
    const panel = section.getByRole('region', { name: `Panel ${saved.title}` });
    const target = saved.targets[0];
    const name = `panel "${saved.title}"`;
    const ref = await panel.getByLabel('Panel data source').textContent();
    check(ref === `${PLUGIN_TYPE} / ${saved.datasource.uid}`, `${name} uses the migrated data source (got ${ref})`);

    // The saved query, verbatim in the real editor.
    const expr = await panel.getByLabel('PromQL query', { exact: true }).textContent();
    check(expr === target.expr, `${name} editor shows the saved PromQL (got ${expr})`);
    const want = editorChoices(target);
    // Grafana's Select shows the chosen option's label in its value container, next to an empty search input.
    const selects = await panel.getByTestId('data-testid Select container').allTextContents();
    check(
      JSON.stringify(selects) === JSON.stringify([want.legend, want.format]),
      `${name} legend mode and format (got ${JSON.stringify(selects)}, want ${want.legend}, ${want.format})`
    );
    check(await panel.getByRole('radio', { name: want.type, exact: true }).isChecked(), `${name} type is ${want.type}`);
    if (want.legend === 'Custom') {
      const legend = await panel.getByLabel('Legend template').inputValue();
      check(legend === target.legendFormat, `${name} legend template (got ${legend})`);
    }
    const minStep = await panel.locator(`#amp-min-step-${target.refId}`).inputValue();
    check(minStep === (target.interval ?? ''), `${name} min step (got ${minStep})`);

    // The panel's data, through /api/ds/query, the built plugin, the AMP emulator and Prometheus.
    const errors = await panel.getByLabel('Panel error').allTextContents();
    check(errors.length === 0, `${name} returned no error (got ${JSON.stringify(errors)})`);
    const frames = await readFrames(panel);
    check(frames.length > 0, `${name} returned data`);
    const checkPanel = panelChecks[saved.type];
    check(checkPanel !== undefined, `${name}: no expectations for panel type ${saved.type}`);
    checkPanel(frames);
  }
  await shot(section, '08-migrated-dashboard.png');
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
  await page.getByRole('heading', { name: /AMP playground/ }).waitFor({ timeout: TIMEOUT });
  await queryEditor(page);
  await page.screenshot({ path: join(artifacts, '07-full-page.png'), fullPage: true });
  await grafanaAssets(page);
  await variable(page);
  await annotations(page);
  await configEditor(page);
  await migratedDashboard(page);
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
