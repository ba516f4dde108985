// Steps on the other playground routes: template variables, annotations and the data source settings.
import { check, choose, env, menuOptions, open, shot, TIMEOUT } from './common.mjs';

const expectedWorkspaceUrl = env('EXPECTED_WORKSPACE_URL');

export async function variable(page) {
  await open(page, 'variables', 'Variable');
  const section = page.getByRole('region', { name: 'Variable' });
  // The pickers list the workspace's labels (of the picked metric) and its metrics.
  await page.locator('#amp-variable-label').click();
  const labels = await menuOptions(page);
  check(JSON.stringify(labels) === '["instance","job"]', `label picker lists fixture_up's labels (got ${JSON.stringify(labels)})`);
  await shot(page.locator('body'), '13-variable-label-picker.png');
  await page.keyboard.press('Escape');
  await page.locator('#amp-variable-metric').click();
  await page.keyboard.type('fixture_', { delay: 10 });
  const metrics = await menuOptions(page);
  for (const want of ['fixture_http_requests_total', 'fixture_up']) {
    check(metrics.includes(want), `metric picker finds ${want} (got ${JSON.stringify(metrics)})`);
  }
  await shot(page.locator('body'), '17-variable-metric-picker.png');
  await page.keyboard.press('Escape');
  await section.getByRole('button', { name: 'Resolve' }).click();
  const values = section.getByLabel('Variable values').locator('li');
  await values.first().waitFor({ timeout: TIMEOUT });
  const texts = await values.allTextContents();
  check(JSON.stringify(texts) === JSON.stringify(['api', 'worker']), `label_values(fixture_up, job) (got ${JSON.stringify(texts)})`);
  await shot(section, '03-variable.png');
}

export async function configEditor(page) {
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

export async function annotations(page) {
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
