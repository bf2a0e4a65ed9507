// Times Wattt Insights reading a seeded meter channel in headless Chromium
// (run by scripts/bench-wattt.sh, which seeds the node and serves dist/):
// from the page's start with the provider's seed and request in storage to
// every reading read and the power chart drawn, then a reload from the cache;
// and the native follower on the same channel as the peer. Prints a table and
// one JSON line. Exits 1 when a reading is missing or the chart is not drawn.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const { values: options } = parseArgs({
  options: {
    url: { type: 'string' },
    node: { type: 'string' },
    seeded: { type: 'string' },
    native: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
if (!options.url || !options.node || !options.seeded || !options.native) {
  console.error('usage: bench-wattt.mjs --url WATTT_URL --node NODE_URL --seeded JSON --native FOLLOW_DAY');
  process.exit(2);
}
const seeded = JSON.parse(options.seeded);
const expected = seeded.telegrams;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.WATTT_BENCH_TIMEOUT_MS ?? 20 * 60_000);

/** Waits until Wattt holds every reading, is up to date and drew the power chart; ms taken. */
async function readAndDrawn(page, started, shotWhileReading) {
  const deadline = Date.now() + TIMEOUT_MS;
  let last = '';
  let shot = !shotWhileReading;
  for (;;) {
    const state = await page.evaluate(() => {
      const sync = document.querySelector('#sync');
      const chart = document.querySelector('[data-testid="power-chart"]');
      return {
        readings: Number(sync?.dataset.readings ?? 0),
        state: sync?.dataset.state ?? '',
        drawn: chart?.dataset.drawn ?? null,
      };
    });
    const now = `${state.readings} readings, ${state.state}`;
    if (!shot && state.state === 'reading' && state.readings > 0) {
      // The loading state, with its progress, as the user sees it.
      shot = true;
      await page.screenshot({ path: shotWhileReading, fullPage: true });
    }
    if (now !== last) {
      process.stderr.write(`\r[bench-wattt] ${now}          `);
      last = now;
    }
    if (state.readings >= expected && state.state === 'up-to-date' && state.drawn !== null) {
      process.stderr.write('\n');
      return { ms: performance.now() - started, readings: state.readings, drawn: Number(state.drawn) };
    }
    if (Date.now() > deadline) throw new Error(`not read within ${TIMEOUT_MS / 1000} s: ${now}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** With --profile: the 25 functions with the most self time during the read. */
function printProfile(profile) {
  const self = new Map();
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
  let total = 0;
  for (const [id, hits] of counts) {
    const frame = byId.get(id).callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + hits);
    total += hits;
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`\nself time during the read (${((total * interval) / 1e6).toFixed(1)} s sampled):`);
  for (const [name, hits] of rows) console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name.slice(0, 110)}`);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const problems = [];
let report;
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.route('**/node.json', (route) =>
    route.fulfill({ json: { nodeUrl: options.node, minWeightMagnitude: 1, pow: 'local' } }),
  );
  const requests = JSON.stringify({
    requests: [{ index: null, nonce: seeded.nonce, goal: 'benchmark', createdAt: Date.now(), expiresAt: null }],
    next: 0,
  });
  await context.addInitScript(([seed, address, requests]) => {
    if (!localStorage.getItem('wattt.seed')) {
      localStorage.setItem('wattt.seed', seed);
      localStorage.setItem(`wattt.requests.${address}`, requests);
    }
    // The longest gap between ticks of a 10 ms timer: how long the page
    // could not answer the user.
    let last = performance.now();
    window.__longestStallMs = 0;
    setInterval(() => {
      const now = performance.now();
      window.__longestStallMs = Math.max(window.__longestStallMs, now - last);
      last = now;
    }, 10);
  }, [seeded.providerSeed, seeded.providerAddress, requests]);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const home = `${options.url}#/home/${encodeURIComponent(seeded.policyId)}`;

  let cdp;
  if (options.profile) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  let started = performance.now();
  await page.goto(home);
  const full = await readAndDrawn(page, started, 'target/screenshots/wattt-bench-reading.png');
  if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
  const fullStall = await page.evaluate(() => window.__longestStallMs);
  await page.screenshot({ path: 'target/screenshots/wattt-bench-day.png', fullPage: true });

  started = performance.now();
  await page.reload();
  const cached = await readAndDrawn(page, started);
  const cachedStall = await page.evaluate(() => window.__longestStallMs);
  const fromCache = await page.locator('#from-cache').count();

  const native = spawnSync(options.native, [options.node, seeded.providerSeed, seeded.nonce], { encoding: 'utf8' });
  if (native.status !== 0) throw new Error(`follow_day failed: ${native.stderr}`);
  const peer = JSON.parse(native.stdout);

  report = {
    messages: seeded.messages,
    readings: full.readings,
    browserSeconds: full.ms / 1000,
    browserMsPerMessage: full.ms / seeded.messages,
    longestStallMs: fullStall,
    cachedReloadSeconds: cached.ms / 1000,
    cachedStallMs: cachedStall,
    cacheUsed: fromCache > 0,
    nativeSeconds: peer.seconds,
    browserOverNative: full.ms / 1000 / peer.seconds,
  };
  const row = (what, value) => console.log(`${what.padEnd(44)} ${value}`);
  console.log(`\nWattt Insights reading ${seeded.messages} messages (${expected} telegrams) from a local tangle-node`);
  row('browser: start to every reading + chart', `${report.browserSeconds.toFixed(1)} s (${report.browserMsPerMessage.toFixed(2)} ms/message)`);
  row('browser: longest main-thread stall', `${fullStall.toFixed(0)} ms`);
  row('browser: reload from the cache to chart', `${report.cachedReloadSeconds.toFixed(2)} s (cache used: ${report.cacheUsed})`);
  row('native follow_day (peer)', `${peer.seconds.toFixed(1)} s`);
  row('browser / native', `${report.browserOverNative.toFixed(2)}x`);
  console.log(JSON.stringify(report));
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
if (!report.cacheUsed || report.readings !== expected) {
  console.error(`expected ${expected} readings and the cache used: ${JSON.stringify(report)}`);
  process.exit(1);
}
