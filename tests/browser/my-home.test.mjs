// My Home end to end, in headless Chromium against a real tangle-node and a
// real pi-reader fed by a simulated meter through a socat pty (lib/system.mjs):
// pair with a wrong secret (error shown) and the right one (device listed);
// a consent link with a bad parameter (error page, nothing published); a
// consent request built as a provider builds it, granted, after which the
// device sends MAM_DATA that opens with the provider's seed-derived key;
// revoke (the device rotates its key and the provider's consent ends);
// remove the device; then an empty browser restores the seed and shows the
// same devices, consents and history. Proof of work runs in the page's Web
// Workers. Screenshots of each page go to SCREENSHOT_DIR.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { startSystem, waitFor } from './lib/system.mjs';
import { writeQrVideo } from './lib/qr-video.mjs';

const BASE_URL = process.env.WEB_BASE_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'screenshots';
const MWM = 3;
// Nothing listens on the discard port.
const DEAD_NODE = 'http://127.0.0.1:9';
// My Home waits 60 s for a device's answer before it says the secret is
// probably wrong (home/pairing.rs ANSWER_TIMEOUT).
const WRONG_SECRET_TIMEOUT_MS = 100_000;
const STEP_TIMEOUT_MS = 90_000;

const myHome = () => new URL('my-home/', BASE_URL).href;
const trytes = (n) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ9'[randomInt(27)]).join('');

let system;
let browser;
let context;
let page;
const problems = [];

/** A browser context whose apps find the test's node (as run-system's node.json would say). */
async function newContext() {
  const created = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await created.route('**/node.json', (route) =>
    route.fulfill({ json: { nodeUrl: system.nodeUrl, minWeightMagnitude: MWM, pow: 'local' } }),
  );
  return created;
}

async function watched(ctx) {
  const created = await ctx.newPage();
  created.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  created.on('console', (message) => {
    // The settings test asks a dead node on purpose; the browser logs each try.
    const deadNode =
      message.location().url.startsWith(DEAD_NODE) || message.text().includes(`${DEAD_NODE}/`);
    if (message.type() === 'error' && !deadNode) problems.push(`console error: ${message.text()}`);
  });
  return created;
}

function screenshot(target, name) {
  return target.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Waits until My Home has read its channel to the end, and returns how many messages it read. */
async function caughtUp(target) {
  await target.locator('#sync-status[data-state="ready"]').waitFor({ timeout: STEP_TIMEOUT_MS });
  return Number(await target.locator('#sync').getAttribute('data-read'));
}

async function overview(target) {
  await target.goto(`${myHome()}#/`);
  await caughtUp(target);
}

/** What the overview and history show, to compare two browsers. */
async function shown(target) {
  await overview(target);
  const devices = await target.locator('.device').evaluateAll((rows) => rows.map((r) => r.dataset.address));
  const policies = await target
    .locator('.policy')
    .evaluateAll((rows) => rows.map((r) => `${r.dataset.policyId}:${r.dataset.status}`));
  await target.goto(`${myHome()}#/history`);
  await caughtUp(target);
  const history = await target
    .locator('.history-line')
    .evaluateAll((rows) => rows.map((r) => `${r.dataset.position} ${r.querySelector('.event-title').textContent}`));
  return { devices, policies, history };
}

before(async () => {
  assert.ok(BASE_URL, 'set WEB_BASE_URL to where dist/ is served (scripts/test-browser.sh does)');
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const base = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target/test-browser');
  await mkdir(base, { recursive: true });
  const scratch = await mkdtemp(path.join(base, 'my-home-'));
  system = await startSystem({
    mwm: MWM,
    scratchDir: scratch,
    readerArgs: ['--max-delay', '2s', '--poll-interval', '1s'],
  });
  // The camera sees the QR code the device prints: its pairing link.
  const video = path.join(scratch, 'pairing-qr.y4m');
  await writeQrVideo((await system.info()).pairing_link, video);
  browser = await launchChromium({ fakeCamera: { video } });
  context = await newContext();
  page = await watched(context);
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

describe('My Home with a real node and Pi reader', () => {
  let provider;
  let nonce;
  let policyId;
  let granted;

  test('a first visit reads an empty channel', { timeout: STEP_TIMEOUT_MS }, async () => {
    await page.goto(myHome());
    assert.equal(await caughtUp(page), 0);
    await page.locator('#devices-empty').waitFor();
    await screenshot(page, 'my-home-empty');
  });

  test('settings check the node and refuse a bad URL', { timeout: STEP_TIMEOUT_MS }, async () => {
    await page.goto(`${myHome()}#/settings`);
    assert.equal(await page.inputValue('#node-url'), system.nodeUrl, 'the site preset (node.json)');
    assert.equal(await page.inputValue('#mwm'), String(MWM));
    assert.ok(await page.isChecked('#pow-local'));
    await page.click('#check-node');
    const check = page.locator('#node-check[data-state="ready"]');
    await check.waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match(await check.innerText(), /Reached: tangle-node/);
    await screenshot(page, 'my-home-settings');
    await page.fill('#node-url', 'ftp://nowhere');
    await page.click('#save-settings');
    assert.match(await page.locator('#settings-message').innerText(), /Not saved: the node URL/);
    await page.fill('#node-url', DEAD_NODE);
    await page.click('#check-node');
    await page.locator('#node-check[data-state="error"]').waitFor({ timeout: STEP_TIMEOUT_MS });
    // Nothing was saved: the home still reads its node.
    await page.reload();
    assert.equal(await page.inputValue('#node-url'), system.nodeUrl);
    assert.equal(await caughtUp(page), 0);
  });

  test('pairing with a wrong secret says what happened and what to do', { timeout: WRONG_SECRET_TIMEOUT_MS + 30_000 }, async () => {
    await page.goto(`${myHome()}#/pair`);
    await page.fill('#device-address', system.deviceAddress);
    await page.fill('#pairing-secret', trytes(27));
    await page.click('#pair-submit');
    await page.locator('#pairing .step.active').waitFor();
    await screenshot(page, 'my-home-pairing');
    const error = page.locator('#pairing-error');
    await error.waitFor({ timeout: WRONG_SECRET_TIMEOUT_MS });
    assert.match(await error.innerText(), /did not answer/);
    assert.match(await error.innerText(), /secret is most likely wrong/);
    await screenshot(page, 'my-home-pair-wrong-secret');
    assert.equal((await system.info()).paired_root, null, 'the device has no owner');
    await page.click('#pair-again');
  });

  test('malformed input in the pairing form is refused before anything is sent', { timeout: STEP_TIMEOUT_MS }, async () => {
    await page.fill('#device-address', 'NOT-AN-ADDRESS');
    await page.fill('#pairing-secret', system.pairingSecret);
    await page.click('#pair-submit');
    assert.match(await page.locator('#pair-input-error').innerText(), /81 characters/);
    await page.fill('#pairing-text', 'hello world');
    await page.click('#pairing-text-use');
    assert.match(await page.locator('#pair-input-error').innerText(), /no pairing text/);
  });

  test('the pairing link opens the form filled in', { timeout: STEP_TIMEOUT_MS }, async () => {
    const { pairing_link: link, pairing_secret: secret } = await system.info();
    const query = new URL(link).hash.replace(/^#\/pair\?/, '');
    await page.goto(`${myHome()}#/pair?${query}`);
    assert.equal(await page.inputValue('#device-address'), system.deviceAddress);
    assert.equal(await page.inputValue('#pairing-secret'), secret);
  });

  test('the QR code scanned with the camera pairs the device, and it is listed', { timeout: STEP_TIMEOUT_MS }, async () => {
    // A fresh form, then the device's QR code through the (fake) camera.
    await page.goto(`${myHome()}#/history`);
    await page.goto(`${myHome()}#/pair`);
    await page.fill('#device-address', '');
    await page.fill('#pairing-secret', '');
    await page.click('#scan-qr');
    await page.locator('#qr-video').waitFor();
    await screenshot(page, 'my-home-pair-scanning');
    await page.locator('#pair-note').waitFor({ timeout: 30_000 });
    assert.equal(await page.inputValue('#device-address'), system.deviceAddress);
    assert.equal(await page.inputValue('#pairing-secret'), (await system.info()).pairing_secret);
    await page.click('#pair-submit');
    await page.locator('#pairing-done').waitFor({ timeout: STEP_TIMEOUT_MS });
    await screenshot(page, 'my-home-paired');
    await overview(page);
    await page.locator(`.device[data-address="${system.deviceAddress}"]`).waitFor();
    await screenshot(page, 'my-home-overview-device');
    const info = await waitFor('the device to read DEVICE_ADDED', async () => {
      const now = await system.info();
      return now.paired_root && now.events_read >= 1 && now;
    });
    assert.equal(info.deleted_by_owner, false);
  });

  test('a consent link with a bad parameter shows an error and publishes nothing', { timeout: STEP_TIMEOUT_MS }, async () => {
    const read = await caughtUp(page);
    provider = await system.probe(['identity', '--seed', trytes(81)]);
    const bad = [
      { iotaAddress: provider.address, publicKeyTrytes: provider.publicKeyTrytes.slice(0, 100), goal: 'x', url: 'https://a.example/', nonce: trytes(81) },
      { iotaAddress: provider.address, publicKeyTrytes: provider.publicKeyTrytes, goal: 'x', url: 'javascript:alert(1)', nonce: trytes(81) },
      { iotaAddress: provider.address.slice(1), publicKeyTrytes: provider.publicKeyTrytes, goal: 'x', url: 'https://a.example/', nonce: trytes(81) },
      { iotaAddress: provider.address, publicKeyTrytes: provider.publicKeyTrytes, goal: 'x', url: 'https://a.example/' },
    ];
    for (const [n, params] of bad.entries()) {
      await page.goto(`${myHome()}#/new-policy?${new URLSearchParams(params)}`);
      await page.locator('#consent-error').waitFor();
      assert.equal(await page.locator('#consent-grant').count(), 0);
      if (n === 0) await screenshot(page, 'my-home-consent-bad-link');
    }
    await overview(page);
    assert.equal(await caughtUp(page), read, 'nothing was recorded');
    assert.equal(await page.locator('.pending-event').count(), 0, 'nothing is pending');
    assert.deepEqual((await system.info()).providers, []);
  });

  test('a consent granted gives the provider keys that open with its seed-derived key', { timeout: STEP_TIMEOUT_MS * 2 }, async () => {
    const seed = trytes(81);
    provider = await system.probe(['identity', '--seed', seed]);
    nonce = trytes(81);
    const returnUrl = new URL('wattt/', BASE_URL).href;
    // As a provider builds it (docs/links.md).
    const params = new URLSearchParams({
      iotaAddress: provider.address,
      publicKeyTrytes: provider.publicKeyTrytes,
      goal: 'Energy insights: your power use per hour and per day',
      url: returnUrl,
      nonce,
      name: 'Wattt Insights',
    });
    await page.goto(`${myHome()}#/new-policy?${params}`);
    await page.locator('#consent-form').waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match(await page.locator('#consent-who').innerText(), /Wattt Insights/);
    assert.match(await page.locator('#consent-goal').innerText(), /per hour and per day/);
    await screenshot(page, 'my-home-consent');
    await page.click('#consent-grant');
    await page.waitForURL((url) => url.href.startsWith(returnUrl) && url.searchParams.get('status') === 'granted', {
      timeout: STEP_TIMEOUT_MS,
    });
    policyId = new URL(page.url()).searchParams.get('policyId');
    assert.match(policyId ?? '', /^[A-Z9]{27}$/);

    const keys = await system.probe(['keys', '--seed', seed, '--nonce', nonce, '--timeout', '90s']);
    assert.equal(keys.policyId, policyId);
    assert.match(keys.sideKey, /^[A-Z9]{81}$/);
    const info = await system.info();
    assert.deepEqual(info.providers.map((p) => p.policy_id), [policyId]);
    granted = { rotations: info.counters.key_rotations, seed };
    await overview(page);
    await page.locator(`.policy[data-policy-id="${policyId}"][data-status="active"]`).waitFor();
    await screenshot(page, 'my-home-overview-policy');
  });

  test('revoking ends the consent: the device rotates its key', { timeout: STEP_TIMEOUT_MS * 2 }, async () => {
    await page.click(`#revoke-${policyId}`);
    await screenshot(page, 'my-home-revoke-confirm');
    await page.click(`#revoke-${policyId}-confirm`);
    await page.locator(`.policy[data-policy-id="${policyId}"][data-status="revoked"]`).waitFor({ timeout: STEP_TIMEOUT_MS });
    const info = await waitFor('the device to drop the provider and rotate', async () => {
      const now = await system.info();
      return now.providers.length === 0 && now.counters.key_rotations > granted.rotations && now;
    }, { timeoutMs: STEP_TIMEOUT_MS });
    assert.ok(info.counters.key_rotations > granted.rotations);
    const followed = await system.probe([
      'follow', '--seed', granted.seed, '--nonce', nonce, '--policy-id', policyId, '--until-ended', '--timeout', '90s',
    ]);
    assert.ok(followed.ended, `the provider's consent ended: ${JSON.stringify(followed)}`);
    await screenshot(page, 'my-home-overview-revoked');
  });

  test('removing the device takes it off the list', { timeout: STEP_TIMEOUT_MS }, async () => {
    const id = `#remove-${system.deviceAddress.slice(0, 9)}`;
    await page.click(id);
    await page.click(`${id}-confirm`);
    await page.locator('#devices-empty').waitFor({ timeout: STEP_TIMEOUT_MS });
    await waitFor('the device to read DEVICE_DELETED', async () => (await system.info()).deleted_by_owner === true);
    await screenshot(page, 'my-home-overview-removed');
    await page.goto(`${myHome()}#/history`);
    await caughtUp(page);
    await screenshot(page, 'my-home-history');
  });

  test('an empty browser with the restored seed shows the same devices, consents and history', { timeout: STEP_TIMEOUT_MS * 2 }, async () => {
    const original = await shown(page);
    assert.equal(original.history.length, 4, JSON.stringify(original.history));
    const seed = await page.evaluate(() => localStorage.getItem('my-home.seed'));
    await page.goto(`${myHome()}#/seed`);
    await screenshot(page, 'my-home-seed');

    const fresh = await newContext();
    try {
      const other = await watched(fresh);
      await other.goto(`${myHome()}#/seed`);
      await other.locator('#restore-seed').waitFor();
      // A malformed seed first: a clear message, nothing replaced.
      await other.fill('#restore-seed', seed.toLowerCase());
      await other.click('#restore-submit');
      assert.match(await other.locator('#restore-error').innerText(), /lowercase/);
      await screenshot(other, 'my-home-restore-malformed');
      await other.fill('#restore-seed', `  ${seed}\n`);
      await other.click('#restore-submit');
      await other.locator('#status', { hasText: 'restored from your backup' }).waitFor();
      assert.deepEqual(await shown(other), original);
      await screenshot(other, 'my-home-restored-history');
    } finally {
      await fresh.close();
    }
    assert.deepEqual(problems, [], 'no console errors or uncaught exceptions');
  });
});
