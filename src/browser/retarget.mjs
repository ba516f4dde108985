// Opens the dashboards `ampmigrate dashboard retarget` imported into the page server (route #/retargeted) in
// Debian's Chromium with playwright-core, runs every panel, and checks that each one ran without an error against
// this plugin's data source. Started by pkg/e2e/retarget_browser_test.go, which imports the dashboards first;
// prints one JSON line per panel ({"dashboard", "panel", "datasource", "error"}) for the Go test, and exits
// non-zero with the reason when a check fails.
//
// Environment: HARNESS_URL (the page), ARTIFACTS_DIR (screenshots), USER_DATA_DIR (a fresh profile),
// CHROMIUM_PATH (default /usr/bin/chromium), EXPECTED_PANELS (how many panels the dashboards hold).
import { join } from 'node:path';

import { artifacts, env, harnessUrl, launch } from './steps/common.mjs';

const expectedPanels = Number(env('EXPECTED_PANELS'));
const TIMEOUT = 30_000;

const { context, page, pageErrors } = await launch({ width: 1400 });
try {
  await page.goto(`${harnessUrl}#/retargeted`);
  const region = page.getByRole('region', { name: 'Retargeted dashboards' });
  await region.waitFor({ timeout: TIMEOUT });
  await region.getByRole('button', { name: 'Open retargeted dashboards' }).click();
  const status = region.getByRole('status', { name: 'Retargeted status' });
  await page.waitForFunction(
    (el) => /^(Ran|Failed)/.test(el?.textContent ?? ''),
    await status.elementHandle(),
    { timeout: TIMEOUT }
  );
  const text = (await status.textContent()) ?? '';
  if (!text.startsWith(`Ran ${expectedPanels} panels of 2 dashboards`)) {
    throw new Error(`check failed: status is "${text}", want ${expectedPanels} panels of 2 dashboards`);
  }
  // Every panel shows its results (or its error) once its run is done.
  await page.waitForFunction(
    (n) => document.querySelectorAll('[aria-label="Panel results"]').length === n,
    expectedPanels,
    { timeout: TIMEOUT }
  );
  for (const dashboard of await region.locator('section[aria-label^="Dashboard "]').all()) {
    const title = (await dashboard.getAttribute('aria-label')).replace(/^Dashboard /, '');
    for (const panel of await dashboard.locator('section[aria-label^="Panel "]').all()) {
      const error = panel.getByLabel('Panel error');
      console.log(
        JSON.stringify({
          dashboard: title,
          panel: (await panel.getAttribute('aria-label')).replace(/^Panel /, ''),
          datasource: await panel.getByLabel('Panel data source').textContent(),
          error: (await error.count()) > 0 ? await error.textContent() : '',
        })
      );
    }
  }
  await region.screenshot({ path: join(artifacts, 'retargeted-dashboards.png') });
  if (pageErrors.length > 0) {
    throw new Error(`check failed: page errors: ${pageErrors.join('; ')}`);
  }
} finally {
  await context.close();
}
