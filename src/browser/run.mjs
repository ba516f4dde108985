// Drives Debian's Chromium through the playground page with playwright-core, route by route: PromQL completion
// from the test Prometheus and a query run (#/explore), a template variable (#/variables), annotations
// (#/annotations), the config editor with the workspace picker (#/config), and a dashboard saved by Grafana's core
// Prometheus data source after the migration to this plugin (#/dashboard). Started by pkg/e2e/browser_test.go,
// which serves the page; every check failing here exits non-zero with its reason.
//
// Environment: HARNESS_URL (the page), ARTIFACTS_DIR (screenshots), USER_DATA_DIR (a fresh profile),
// CHROMIUM_PATH (default /usr/bin/chromium), EXPECTED_WORKSPACE_URL (what the picker must fill in).
import { join } from 'node:path';

import { artifacts, check, harnessUrl, launch, TIMEOUT } from './steps/common.mjs';
import { migratedDashboard } from './steps/dashboard.mjs';
import { dashboardControls, filterForValue, grafanaAssets, grafanaAwareEditor, queryEditor } from './steps/explore.mjs';
import { annotations, configEditor, variable } from './steps/pages.mjs';

const { context, page, pageErrors } = await launch();
let failed = false;
try {
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(harnessUrl);
  await page.getByRole('heading', { name: /AMP playground/ }).waitFor({ timeout: TIMEOUT });
  await queryEditor(page);
  await page.screenshot({ path: join(artifacts, '07-full-page.png'), fullPage: true });
  await grafanaAwareEditor(page);
  await dashboardControls(page);
  await filterForValue(page);
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
