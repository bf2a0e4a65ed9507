// Smoke test of the web front ends in headless Chromium: the landing page and
// both apps, served from dist/ at WEB_BASE_URL, with no node running (the
// site's node.json names a port nobody listens on): the apps still load,
// and My Home says plainly that it cannot read its channel. Run by
// scripts/test-browser.sh, which builds and serves dist/; screenshots go to
// SCREENSHOT_DIR. tests/browser/my-home.test.mjs runs My Home against a
// real node and Pi reader.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchChromium } from './lib/chromium.mjs';

const BASE_URL = process.env.WEB_BASE_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'screenshots';
// How long an app may take to load its wasm and show an address.
const LOAD_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 90_000;
const TRYTES_81 = /^[A-Z9]{81}$/;
// A node that is down: nothing listens on the discard port.
const DEAD_NODE = 'http://127.0.0.1:9';

const APPS = [
  { name: 'My Home', path: 'my-home/', seedKey: 'my-home.seed', shot: 'my-home' },
  { name: 'Wattt Insights', path: 'wattt/', seedKey: 'wattt.seed', shot: 'wattt' },
];

let browser;

before(async () => {
  assert.ok(BASE_URL, 'set WEB_BASE_URL to where dist/ is served (scripts/test-browser.sh does)');
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // launch() gives Chromium a fresh temporary user-data dir, and every
  // newContext() starts with empty storage: a first visit.
  browser = await launchChromium({
    extraArgs: ['--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

/**
 * A new page in `context` that records console errors and uncaught
 * exceptions, except the refused connections to the dead node (which the
 * browser logs for every request My Home tries).
 */
async function watchedPage(context) {
  await context.route('**/node.json', (route) => route.fulfill({ json: { nodeUrl: DEAD_NODE } }));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    const toDeadNode = message.text().includes('ERR_CONNECTION_REFUSED') || message.location().url.startsWith(DEAD_NODE);
    if (message.type() === 'error' && !toDeadNode) problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith(DEAD_NODE)) {
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    }
  });
  return { page, problems };
}

/** Runs `visit` on a watched page in a new context (empty storage), then closes it. */
async function inNewContext(visit) {
  const context = await browser.newContext();
  try {
    return await visit(await watchedPage(context));
  } finally {
    await context.close();
  }
}

/** What the page shows in its status line, for failure messages. */
async function statusOf(page) {
  const status = page.locator('#status');
  if ((await status.count()) === 0) return 'no #status element (did the wasm start?)';
  return `${await status.getAttribute('data-state')}: ${await status.textContent()}`;
}

/** Waits (bounded) until `#address` holds 81 trytes and returns them. */
async function shownAddress(page, problems) {
  try {
    await page.waitForFunction(
      (pattern) => new RegExp(pattern).test(document.querySelector('#address')?.textContent ?? ''),
      TRYTES_81.source,
      { timeout: LOAD_TIMEOUT_MS },
    );
  } catch (error) {
    const why = [await statusOf(page), ...problems].join('\n  ');
    throw new Error(`no 81-tryte #address within ${LOAD_TIMEOUT_MS} ms:\n  ${why}`, { cause: error });
  }
  return page.locator('#address').textContent();
}

function storedSeed(page, key) {
  return page.evaluate((key) => localStorage.getItem(key), key);
}

function screenshot(page, name) {
  return page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

for (const app of APPS) {
  describe(app.name, () => {
    const url = new URL(app.path, BASE_URL).href;
    let context;
    let first; // { page, problems } of the first visit
    let firstAddress;

    before(async () => {
      context = await browser.newContext();
      first = await watchedPage(context);
    });

    after(async () => {
      await context?.close();
    });

    test('a first visit creates a seed and shows its address', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { page, problems } = first;
      const response = await page.goto(url);
      assert.equal(response?.status(), 200);
      firstAddress = await shownAddress(page, problems);
      assert.match(firstAddress, TRYTES_81);
      assert.equal(await page.locator('#status').getAttribute('data-state'), 'ready');

      const seed = await storedSeed(page, app.seedKey);
      assert.match(seed ?? '', TRYTES_81, `localStorage[${app.seedKey}] holds a seed`);
      assert.notEqual(seed, firstAddress);
      const text = await page.locator('body').innerText();
      assert.ok(!text.includes(seed), 'the seed is not shown before the owner asks');

      await screenshot(page, app.shot);
      assert.deepEqual(problems, [], 'no console errors or uncaught exceptions');
    });

    test('a reload finds the same seed and address', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { page, problems } = first;
      const seedBefore = await storedSeed(page, app.seedKey);
      await page.reload();
      assert.equal(await shownAddress(page, problems), firstAddress);
      assert.equal(await storedSeed(page, app.seedKey), seedBefore);
      assert.match(await page.locator('#status').textContent(), /restored/);
      assert.deepEqual(problems, []);
    });

    test('the reveal toggle shows the stored seed', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { page, problems } = first;
      await page.locator('#toggle-seed').click();
      assert.equal(await page.locator('#seed').textContent(), await storedSeed(page, app.seedKey));
      await screenshot(page, `${app.shot}-seed-revealed`);
      await page.locator('#toggle-seed').click();
      assert.equal(await page.locator('#seed').count(), 0);
      assert.deepEqual(problems, []);
    });

    test('a browser with empty storage gets a different address', { timeout: TEST_TIMEOUT_MS }, async () => {
      await inNewContext(async ({ page, problems }) => {
        await page.goto(url);
        const address = await shownAddress(page, problems);
        assert.notEqual(address, firstAddress);
        assert.deepEqual(problems, []);
      });
    });

    test('an invalid stored seed is reported and can be replaced', { timeout: TEST_TIMEOUT_MS }, async () => {
      await inNewContext(async ({ page, problems }) => {
        await page.goto(url);
        const original = await shownAddress(page, problems);
        await page.evaluate((key) => localStorage.setItem(key, 'NOT A SEED'), app.seedKey);
        await page.reload();

        await page.locator('#status[data-state="error"]').waitFor({ timeout: LOAD_TIMEOUT_MS });
        assert.equal(await page.locator('#address').count(), 0);
        await screenshot(page, `${app.shot}-invalid-seed`);

        await page.locator('#replace-seed').click();
        const replaced = await shownAddress(page, problems);
        assert.notEqual(replaced, original);
        assert.match((await storedSeed(page, app.seedKey)) ?? '', TRYTES_81);
        assert.equal(await storedSeed(page, `${app.seedKey}.unreadable`), 'NOT A SEED');
        assert.deepEqual(problems, []);
      });
    });

    test('blocked browser storage is reported, not a crash', { timeout: TEST_TIMEOUT_MS }, async () => {
      await inNewContext(async ({ page, problems }) => {
        // What a browser does when the owner blocks site data.
        await page.addInitScript(() => {
          Object.defineProperty(window, 'localStorage', {
            get() {
              throw new DOMException('Access is denied for this document.', 'SecurityError');
            },
          });
        });
        await page.goto(url);
        await page.locator('#status[data-state="error"]').waitFor({ timeout: LOAD_TIMEOUT_MS });
        assert.match(await page.locator('[role=alert]').innerText(), /Access is denied/);
        assert.deepEqual(problems, []);
      });
    });
  });
}

describe('My Home with its node down', () => {
  test('says plainly that it cannot read its channel', { timeout: TEST_TIMEOUT_MS }, async () => {
    await inNewContext(async ({ page, problems }) => {
      await page.goto(new URL('my-home/', BASE_URL).href);
      const sync = page.locator('#sync-status[data-state="error"]');
      await sync.waitFor({ timeout: LOAD_TIMEOUT_MS });
      assert.match(await sync.innerText(), /Cannot read your channel/);
      assert.match(await sync.innerText(), /Settings/);
      await screenshot(page, 'my-home-node-down');
      assert.deepEqual(problems, []);
    });
  });
});

describe('Wattt Insights with its node down', () => {
  test('says plainly that it cannot read, and keeps trying', { timeout: TEST_TIMEOUT_MS }, async () => {
    await inNewContext(async ({ page, problems }) => {
      await page.goto(new URL('wattt/', BASE_URL).href);
      const sync = page.locator('#sync[data-state="failed"]');
      await sync.waitFor({ timeout: LOAD_TIMEOUT_MS });
      assert.match(await sync.innerText(), /node is not answering/);
      assert.match(await sync.innerText(), /Settings/);
      await page.locator('#homes-empty').waitFor();
      await screenshot(page, 'wattt-node-down');
      assert.deepEqual(problems, []);
    });
  });
});

describe('Landing page', () => {
  test('links both apps, and both links resolve', { timeout: TEST_TIMEOUT_MS }, async () => {
    await inNewContext(async ({ page, problems }) => {
      const response = await page.goto(BASE_URL);
      assert.equal(response?.status(), 200);
      for (const [id, href] of [['#my-home-link', './my-home/'], ['#wattt-link', './wattt/']]) {
        const link = page.locator(id);
        assert.equal(await link.getAttribute('href'), href);
        const target = new URL(href, page.url()).href;
        const linked = await page.request.get(target);
        assert.equal(linked.status(), 200, `${target} answers 200`);
      }
      await screenshot(page, 'landing');
      assert.deepEqual(problems, []);
    });
  });
});
