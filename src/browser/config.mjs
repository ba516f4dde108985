// The config page and Save & test in Chromium (playground route #/config), driven with playwright-core: the whole
// page in the light and dark theme, then Save & test for success, a wrong secret, a wrong region, a missing
// permission and an unknown workspace, each screenshotted with Grafana's rendering of the result (the message as
// the title, the step report under "Details"). Started by pkg/e2e/config_browser_test.go; prints one JSON line per
// Save & test ({"case", "status", "title", "details"}) and exits non-zero with the reason when a check fails.
//
// Environment: HARNESS_URL, ARTIFACTS_DIR, USER_DATA_DIR, CHROMIUM_PATH (default /usr/bin/chromium), REGION (the
// workspace's), ACCESS_KEY/SECRET_KEY (accepted by the emulator), LIMITED_ACCESS_KEY/LIMITED_SECRET_KEY (allowed queries but
// not labels), WORKSPACE_URL (the emulated workspace), UNKNOWN_WORKSPACE_URL.
import { join } from 'node:path';

import { artifacts, check, choose, env, harnessUrl, launch } from './steps/common.mjs';

// Save & test goes to the emulated workspace and back through the plugin; allow it more than a page step.
const TIMEOUT = 30_000;

const { context, page, pageErrors } = await launch({ width: 1400 });

async function openConfig(page, theme) {
  await page.goto(`${harnessUrl}?theme=${theme}#/config`);
  await page.getByRole('region', { name: 'Config editor' }).waitFor({ timeout: TIMEOUT });
  await page.locator('#amp-url').waitFor({ timeout: TIMEOUT });
}

async function fill(page, selector, value) {
  const input = page.locator(selector);
  await input.fill(value);
  await input.blur();
}

async function setSecret(page, id, value) {
  const input = page.locator(`#${id}`);
  if (await input.isDisabled()) {
    // A saved secret shows as "configured"; its Reset button makes it editable again.
    const reset = `//*[@id="${id}"]/ancestor::*[.//button[normalize-space()="Reset"]][1]//button[normalize-space()="Reset"]`;
    await page.locator(`xpath=${reset}`).click();
  }
  await input.fill(value);
}

/** Saves, runs Save & test and screenshots the result; returns what Grafana would show. */
async function saveAndTest(page, name) {
  const section = page.getByRole('region', { name: 'Config editor' });
  await section.getByRole('button', { name: 'Save & test' }).click();
  // The page clears the previous result on the click; wait for this test's outcome, not the last one's.
  await page.waitForFunction(
    () => document.querySelector('[aria-label="Config status"]')?.textContent?.startsWith('Test: '),
    undefined,
    { timeout: TIMEOUT }
  );
  const result = page.getByLabel('Test result');
  await result.waitFor({ timeout: TIMEOUT });
  const title = (await result.getAttribute('data-title')) ?? '';
  let details = '';
  // Grafana shows the step report of a failed check behind "Details"; a successful one has only its title.
  const summary = result.locator('summary', { hasText: 'Details' });
  if ((await summary.count()) > 0) {
    await summary.click();
    details = await result.locator('pre').innerText();
  }
  const text = await result.innerText();
  await result.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(artifacts, `save-and-test-${name}.png`) });
  const status = (await page.getByLabel('Config status').innerText()).startsWith('Test: success') ? 'success' : 'error';
  console.log(JSON.stringify({ case: name, status, title, text, details }));
  return { status, title, details };
}

try {

  // The whole page in both themes, with the advanced sections open so every control shows.
  for (const theme of ['light', 'dark']) {
    await openConfig(page, theme);
    for (const section of ['Advanced HTTP settings', 'Other']) {
      await page.getByText(section, { exact: true }).click();
    }
    await page.locator('#amp-tlsSkipVerify').waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(artifacts, `config-page-${theme}.png`), fullPage: true });
  }

  await openConfig(page, 'light');
  await choose(page, 'amp-auth-type', 'Access & secret key');
  await setSecret(page, 'amp-access-key', env('ACCESS_KEY'));
  await setSecret(page, 'amp-secret-key', env('SECRET_KEY'));
  await fill(page, '#amp-url', env('WORKSPACE_URL'));

  const ok = await saveAndTest(page, 'success');
  check(ok.status === 'success', `Save & test succeeds (${ok.title})`);

  await setSecret(page, 'amp-secret-key', 'not-the-secret-key');
  const secret = await saveAndTest(page, 'wrong-secret');
  check(secret.status === 'error', 'a wrong secret fails');

  await setSecret(page, 'amp-secret-key', env('SECRET_KEY'));
  await fill(page, '#amp-region', 'eu-west-1');
  const region = await saveAndTest(page, 'wrong-region');
  check(region.status === 'error', 'a wrong region fails');

  await fill(page, '#amp-region', env('REGION'));
  await setSecret(page, 'amp-access-key', env('LIMITED_ACCESS_KEY'));
  await setSecret(page, 'amp-secret-key', env('LIMITED_SECRET_KEY'));
  const denied = await saveAndTest(page, 'missing-permission');
  check(denied.status === 'error', 'a missing permission fails');

  await setSecret(page, 'amp-access-key', env('ACCESS_KEY'));
  await setSecret(page, 'amp-secret-key', env('SECRET_KEY'));
  await fill(page, '#amp-url', env('UNKNOWN_WORKSPACE_URL'));
  const unknown = await saveAndTest(page, 'unknown-workspace');
  check(unknown.status === 'error', 'an unknown workspace fails');

  check(pageErrors.length === 0, `no page errors (${pageErrors.join('; ')})`);
} catch (err) {
  await page.screenshot({ path: join(artifacts, 'config-failure.png'), fullPage: true }).catch(() => {});
  console.error(err.stack ?? String(err));
  console.error(`page errors: ${pageErrors.join('\n')}`);
  process.exitCode = 1;
} finally {
  await context.close();
}
