// The migrated-dashboard step: a dashboard saved by Grafana's core Prometheus data source, after the type
// migration, opened panel by panel in the real editor and run through the built plugin.
import { readFileSync } from 'node:fs';

import { check, open, shot, TIMEOUT } from './common.mjs';

// The dashboard the harness page migrates and opens; its queries are checked against the editors verbatim.
const savedDashboard = JSON.parse(
  readFileSync(new URL('../../testing/prometheus_dashboard.json', import.meta.url), 'utf8')
);
const PLUGIN_TYPE = 'grafana-amazonprometheus-datasource';

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

export async function migratedDashboard(page) {
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

    // The saved query, verbatim in the real editor, in the mode it was saved in.
    const shown = target.editorMode === 'builder' ? 'Builder PromQL' : 'PromQL query';
    const expr = await panel.getByLabel(shown, { exact: true }).textContent();
    check(expr === target.expr, `${name} editor shows the saved PromQL (got ${expr})`);
    const want = editorChoices(target);
    // The Options row starts collapsed, with a summary, as in Grafana.
    const summary = await panel.getByLabel('Options summary').textContent();
    check(
      summary.includes(`Legend: ${want.legend === 'Custom' ? target.legendFormat : want.legend}`) && summary.includes(`Type: ${want.type}`),
      `${name} options summary (got ${summary})`
    );
    await panel.getByRole('button', { name: /^Options/ }).click();
    // Grafana's Select shows the chosen option's label in its value container, next to an empty search input.
    // Legend and format are the last two; the builder's selects come before them.
    const selects = (await panel.getByTestId('data-testid Select container').allTextContents()).slice(-2);
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
  // Saved queries are valid PromQL: once the linter has run (300 ms after a change), no panel shows an error mark.
  await page.waitForTimeout(600);
  const marks = await section.locator('.cm-lintRange-error').allTextContents();
  check(marks.length === 0, `migrated queries show no error marks (got ${JSON.stringify(marks)})`);
  await shot(section, '08-migrated-dashboard.png');
}
