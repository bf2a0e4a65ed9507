// The whole story, in headless Chromium against a real tangle-node and a real
// pi-reader fed by a simulated meter through a socat pty (lib/system.mjs),
// with the real My Home and Wattt Insights: pair the meter reader in My Home;
// in Wattt ask for consent, grant it in My Home and come back to Wattt, which
// receives the sealed keys, follows the meter's channel and draws the charts;
// revoke in My Home and see Wattt show the consent ended, with no reading taken
// after it while the meter goes on publishing; reload Wattt (the cache), then
// an empty browser restores Wattt's seed and shows the same data. Screenshots
// go to SCREENSHOT_DIR.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { startSystem, waitFor } from './lib/system.mjs';

const BASE_URL = process.env.WEB_BASE_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'screenshots';
const MWM = 3;
const STEP_TIMEOUT_MS = 90_000;

const myHome = () => new URL('my-home/', BASE_URL).href;
const wattt = () => new URL('wattt/', BASE_URL).href;

let system;
let browser;
let context;
let home;
let provider;
const problems = [];

async function newContext() {
  const created = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await created.route('**/node.json', (route) =>
    route.fulfill({ json: { nodeUrl: system.nodeUrl, minWeightMagnitude: MWM, pow: 'local' } }),
  );
  return created;
}

async function watched(ctx) {
  const created = await ctx.newPage();
  created.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  created.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return created;
}

function screenshot(target, name) {
  return target.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** How many readings Wattt holds, once its last read reached the end. */
async function wattUpToDate(target) {
  await target.locator('#sync[data-state="up-to-date"]').waitFor({ timeout: STEP_TIMEOUT_MS });
  return Number(await target.locator('#sync').getAttribute('data-readings'));
}

/** What Wattt shows of its homes: policy, reading or not, when ended, readings. */
async function wattShown(target) {
  await target.goto(`${wattt()}#/`);
  const readings = await wattUpToDate(target);
  const homes = await target
    .locator('.home')
    .evaluateAll((rows) => rows.map((r) => `${r.dataset.policy}:${r.dataset.reading}:${r.querySelector('.ended')?.dataset.endedAt ?? '-'}`));
  return { readings, homes };
}

before(async () => {
  assert.ok(BASE_URL, 'set WEB_BASE_URL to where dist/ is served (scripts/test-browser.sh does)');
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const base = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target/test-browser');
  await mkdir(base, { recursive: true });
  system = await startSystem({
    mwm: MWM,
    scratchDir: await mkdtemp(path.join(base, 'wattt-')),
    readerArgs: ['--max-delay', '2s', '--poll-interval', '1s'],
  });
  browser = await launchChromium();
  context = await newContext();
  home = await watched(context);
  provider = await watched(context);
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

describe('Wattt Insights and My Home with a real node and Pi reader', () => {
  let policyId;
  let shownBefore;

  test('a first visit has no homes and says how to get one', { timeout: STEP_TIMEOUT_MS }, async () => {
    await provider.goto(`${wattt()}#/`);
    await wattUpToDate(provider);
    await provider.locator('#homes-empty').waitFor();
    await screenshot(provider, 'wattt-empty');
    await provider.goto(`${wattt()}#/identity`);
    assert.match(await provider.locator('#key-fingerprint').innerText(), /^[A-Z9]{4}(-[A-Z9]{4}){3}$/);
    await screenshot(provider, 'wattt-identity');
  });

  test('the meter reader is paired in My Home', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { pairing_link: link } = await system.info();
    const query = new URL(link).hash.replace(/^#\/pair\?/, '');
    await home.goto(`${myHome()}#/pair?${query}`);
    await home.click('#pair-submit');
    await home.locator('#pairing-done').waitFor({ timeout: STEP_TIMEOUT_MS });
    await waitFor('the device to read DEVICE_ADDED', async () => (await system.info()).paired_root);
  });

  test('Wattt asks, My Home grants, and Wattt comes back with the answer', { timeout: STEP_TIMEOUT_MS * 2 }, async () => {
    await provider.goto(`${wattt()}#/ask`);
    assert.match(await provider.inputValue('#goal'), /per hour and per day/);
    assert.equal(await provider.inputValue('#my-home-url'), myHome());
    // An empty goal is refused before anything leaves the page.
    await provider.fill('#goal', '   ');
    await provider.click('#ask-consent');
    await provider.locator('#ask-error').waitFor();
    await provider.fill('#goal', 'Show you your energy use per hour and per day');
    await provider.selectOption('#period', '30');
    await screenshot(provider, 'wattt-ask');
    await provider.click('#ask-consent');
    await provider.waitForURL((url) => url.href.startsWith(myHome()) && url.hash.startsWith('#/new-policy?'));
    await provider.locator('#consent-form').waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match(await provider.locator('#consent-who').innerText(), /Wattt Insights/);
    await screenshot(provider, 'wattt-consent-in-my-home');
    await provider.click('#consent-grant');
    await provider.waitForURL((url) => url.href.startsWith(wattt()), { timeout: STEP_TIMEOUT_MS });
    await provider.locator('#answer[data-answer="granted"]').waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.ok(!provider.url().includes('status='), 'the answer is taken out of the address bar');
    await screenshot(provider, 'wattt-answer');
    const row = provider.locator('.home[data-reading="true"]');
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    policyId = await row.getAttribute('data-policy');
    assert.match(policyId, /^[A-Z9]{27}$/);
    const info = await system.info();
    assert.deepEqual(info.providers.map((p) => p.policy_id), [policyId]);
  });

  test('the meter is read and charted, live', { timeout: STEP_TIMEOUT_MS * 2 }, async () => {
    await provider.goto(`${wattt()}#/home/${policyId}`);
    await waitFor('readings from the meter', async () =>
      Number(await provider.locator('#sync').getAttribute('data-readings')) >= 5, { timeoutMs: STEP_TIMEOUT_MS });
    const chart = provider.locator('[data-testid="power-chart"][data-drawn]');
    await chart.waitFor({ timeout: STEP_TIMEOUT_MS });
    const first = Number(await provider.locator('#sync').getAttribute('data-readings'));
    assert.match(await provider.locator('#now-delivered').innerText(), /^\d+\.\d{3} kW$/);
    // Live: more readings arrive while the page is open.
    await waitFor('more readings', async () =>
      Number(await provider.locator('#sync').getAttribute('data-readings')) > first, { timeoutMs: STEP_TIMEOUT_MS });
    await provider.locator('[data-testid="energy-chart"][data-drawn]').first().waitFor();
    await provider.selectOption('#range', 'hour');
    await provider.locator('[data-testid="power-chart"][data-drawn]').waitFor();
    const download = provider.waitForEvent('download');
    await provider.click('#download-csv');
    const file = await download;
    assert.match(file.suggestedFilename(), /^wattt-.*\.csv$/);
    await screenshot(provider, 'wattt-home-charts');
  });

  test('revoking in My Home ends the consent in Wattt, and nothing after it is read', { timeout: STEP_TIMEOUT_MS * 3 }, async () => {
    await home.goto(`${myHome()}#/`);
    await home.click(`#revoke-${policyId}`);
    await home.click(`#revoke-${policyId}-confirm`);
    await home.locator(`.policy[data-policy-id="${policyId}"][data-status="revoked"]`).waitFor({ timeout: STEP_TIMEOUT_MS });
    await waitFor('the device to drop Wattt', async () => (await system.info()).providers.length === 0, { timeoutMs: STEP_TIMEOUT_MS });
    await provider.goto(`${wattt()}#/home/${policyId}`);
    const ended = provider.locator('#consent-ended');
    await ended.waitFor({ timeout: STEP_TIMEOUT_MS });
    const endedAt = Number(await ended.getAttribute('data-ended-at'));
    assert.ok(endedAt > 0);
    const readings = await wattUpToDate(provider);
    const published = (await system.info()).counters.telegrams_published;
    await waitFor('the meter to publish more', async () =>
      (await system.info()).counters.telegrams_published > published + 3, { timeoutMs: STEP_TIMEOUT_MS });
    await provider.reload();
    assert.equal(await wattUpToDate(provider), readings, 'no reading after the revocation');
    await screenshot(provider, 'wattt-home-ended');
    shownBefore = await wattShown(provider);
    assert.deepEqual(shownBefore.homes, [`${policyId}:false:${endedAt}`]);
    await screenshot(provider, 'wattt-homes-ended');
  });

  test('a reload reads from the cache', { timeout: STEP_TIMEOUT_MS }, async () => {
    await provider.reload();
    await provider.locator('#from-cache').waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.deepEqual(await wattShown(provider), shownBefore);
  });

  test('an empty browser with the restored seed shows the same data', { timeout: STEP_TIMEOUT_MS * 2 }, async () => {
    const seed = await provider.evaluate(() => localStorage.getItem('wattt.seed'));
    const fresh = await newContext();
    try {
      const other = await watched(fresh);
      await other.goto(`${wattt()}#/identity`);
      await other.locator('#restore-seed').waitFor();
      await other.fill('#restore-seed', seed);
      await other.click('#restore-submit');
      await other.locator('#status', { hasText: 'restored from your backup' }).waitFor();
      assert.deepEqual(await wattShown(other), shownBefore);
      assert.equal(await other.locator('#from-cache').count(), 0, 'read from the Tangle, not a cache');
      await screenshot(other, 'wattt-restored');
    } finally {
      await fresh.close();
    }
    assert.deepEqual(problems, [], 'no console errors or uncaught exceptions');
  });
});
