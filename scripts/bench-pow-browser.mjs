// Times the proof of work of one transaction in headless Chromium, through
// the real worker pool (browser-app's pow-bench page, served at --url), and
// natively (pow-worker's native_pow example, --native, with as many threads
// as the page has workers), on the same transactions. Prints a table with
// median and mean per MWM and the browser/native ratio, then one JSON line.
// Every nonce must give its transaction the weight, or this exits 1; with
// --quick it also checks that a pool whose workers cannot load fails clearly;
// with --node URL, that the apps' Attacher sends to that node and reads back.
//
// Run by scripts/bench-pow-browser.sh, which builds and serves the page.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const { values: options } = parseArgs({
  options: {
    url: { type: 'string' },
    native: { type: 'string' },
    mwm: { type: 'string', default: '9,14' },
    trials: { type: 'string', default: '10' },
    quick: { type: 'boolean', default: false },
    node: { type: 'string' },
    'node-mwm': { type: 'string', default: '9' },
  },
});
if (!options.url || !options.native) {
  console.error('usage: bench-pow-browser.mjs --url URL --native BINARY [--mwm 9,14] [--trials N] [--quick]');
  process.exit(2);
}
const mwms = options.mwm.split(',').map(Number);
const trials = Number(options.trials);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Generous: a slow machine at MWM 14 takes seconds a trial.
const PAGE_TIMEOUT_MS = Number(process.env.POW_BENCH_TIMEOUT_MS ?? 15 * 60_000);

/** Opens the bench page with `params` in a fresh browser: its JSON report. */
async function runPage(params, timeout = PAGE_TIMEOUT_MS) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const problems = [];
  try {
    const page = await browser.newPage();
    // The page must stay responsive while the workers search: the longest
    // gap between ticks of a 10 ms timer on its main thread.
    await page.addInitScript(() => {
      let last = performance.now();
      window.__longestStallMs = 0;
      setInterval(() => {
        const now = performance.now();
        window.__longestStallMs = Math.max(window.__longestStallMs, now - last);
        last = now;
      }, 10);
    });
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    const url = new URL(options.url);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
    await page.goto(url.href);
    await page.waitForSelector('#result[data-done]', { state: 'attached', timeout });
    const report = JSON.parse(await page.textContent('#result'));
    report.hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
    report.longestStallMs = await page.evaluate(() => window.__longestStallMs);
    report.problems = problems;
    return report;
  } catch (error) {
    if (problems.length) error.message += `\n${problems.join('\n')}`;
    throw error;
  } finally {
    await browser.close();
  }
}

async function browserTrials() {
  const params = { mwm: mwms.join(','), trials };
  if (options.node) Object.assign(params, { node: options.node, node_mwm: options['node-mwm'] });
  const report = await runPage(params);
  if (report.error) throw new Error(`the bench page failed: ${report.error}\n${report.problems.join('\n')}`);
  return report;
}

/**
 * A pool whose workers cannot start must fail with a clear error within its
 * load timeout, never hang: a script that is not there (the worker's error
 * event), and one that loads but never reports ready (the timeout).
 */
async function checkLoadFailures() {
  const cases = [
    { script: 'no-such-worker.js', timeoutMs: 5_000, expect: /did not load: its script could not be loaded|did not load/ },
    { script: 'pow-worker.js', timeoutMs: 2_000, expect: /did not load within 2 s \(is pow-worker\.js served next to the page\?\)/ },
  ];
  let failed = false;
  for (const { script, timeoutMs, expect } of cases) {
    const started = Date.now();
    const report = await runPage({ mwm: 9, trials: 1, script, load_timeout_ms: timeoutMs }, timeoutMs + 15_000);
    const seconds = (Date.now() - started) / 1000;
    if (!report.error || !expect.test(report.error)) {
      console.error(`FAIL: a pool of ${script} gave ${JSON.stringify(report.error ?? report)}, expected ${expect}`);
      failed = true;
    } else {
      console.log(`ok: a pool of ${script} fails in ${seconds.toFixed(1)} s: ${report.error}`);
    }
  }
  return !failed;
}

/**
 * The apps' Attacher in the page sent a two-transaction message to the node
 * with each choice: it must read back, with the weight, and local proof of
 * work must have reported its two steps.
 */
function checkSent(sent) {
  const problems = [];
  const nodeMwm = Number(options['node-mwm']);
  const expectedSteps = { local: ['transaction 1 of 2', 'transaction 2 of 2'], node: [] };
  for (const choice of ['local', 'node']) {
    const s = sent.find((entry) => entry.choice === choice);
    if (!s) { problems.push(`no message sent with ${choice}`); continue; }
    if (!s.read_back) problems.push(`${choice}: the message did not read back`);
    if (s.transactions !== 2 || s.weights.some((w) => w < nodeMwm)) {
      problems.push(`${choice}: ${s.transactions} transactions of weights ${s.weights}, MWM ${nodeMwm}`);
    }
    if (JSON.stringify(s.steps) !== JSON.stringify(expectedSteps[choice])) {
      problems.push(`${choice}: progress ${JSON.stringify(s.steps)}`);
    }
    if (!problems.length) {
      console.log(`ok: Attacher (${choice}) sent 2 transactions at MWM ${nodeMwm} to tangle-node in ` +
        `${s.ms.toFixed(0)} ms and read them back; weights ${s.weights.join(', ')}`);
    }
  }
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  return problems.length === 0;
}

function nativeTrials(threads) {
  const run = spawnSync(options.native, [String(threads), String(trials), ...mwms.map(String)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`${options.native} failed (${run.status}): ${run.stderr}`);
  return run.stdout.trim().split('\n').map((line) => JSON.parse(line));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(8);

const loadFailuresOk = options.quick ? await checkLoadFailures() : true;
const browser = await browserTrials();
const sentOk = options.node ? checkSent(browser.sent) : true;
const native = nativeTrials(browser.workers);
const all = [...browser.trials, ...native];

const short = all.filter((t) => t.weight < t.mwm);
for (const t of short) console.error(`FAIL: ${t.side} MWM ${t.mwm} trial ${t.trial}: weight ${t.weight}`);
const expected = mwms.length * trials;
if (browser.trials.length !== expected || native.length !== expected) {
  console.error(`FAIL: expected ${expected} trials a side, got ${browser.trials.length} browser, ${native.length} native`);
  process.exit(1);
}

console.log(`Proof of work for one transaction, ${trials} trials per MWM (ms)`);
console.log(`browser: headless Chromium, ${browser.workers} Web Workers ` +
  `(navigator.hardwareConcurrency ${browser.hardwareConcurrency}), workers loaded in ${browser.load_ms.toFixed(0)} ms`);
console.log(`page:    longest gap between 10 ms timer ticks on the main thread during the run: ${browser.longestStallMs.toFixed(0)} ms`);
console.log(`native:  mam_lib::pow::search_nonce, ${browser.workers} threads, ${native[0]?.kernel}`);
console.log('');
console.log('| MWM | side    |   median |     mean |      min |      max | browser/native (median, mean) |');
console.log('|-----|---------|----------|----------|----------|----------|-------------------------------|');
const summary = [];
for (const mwm of mwms) {
  const b = browser.trials.filter((t) => t.mwm === mwm).map((t) => t.ms);
  const n = native.filter((t) => t.mwm === mwm).map((t) => t.ms);
  const row = {
    mwm,
    browser: { median: median(b), mean: mean(b) },
    native: { median: median(n), mean: mean(n) },
  };
  row.ratioMedian = row.browser.median / row.native.median;
  row.ratioMean = row.browser.mean / row.native.mean;
  summary.push(row);
  console.log(`| ${String(mwm).padStart(3)} | browser | ${fmt(row.browser.median)} | ${fmt(row.browser.mean)} | ` +
    `${fmt(Math.min(...b))} | ${fmt(Math.max(...b))} | ${row.ratioMedian.toFixed(1).padStart(6)}×, ${row.ratioMean.toFixed(1)}× |`);
  console.log(`| ${String(mwm).padStart(3)} | native  | ${fmt(row.native.median)} | ${fmt(row.native.mean)} | ` +
    `${fmt(Math.min(...n))} | ${fmt(Math.max(...n))} |                               |`);
}
console.log('');
console.log(JSON.stringify({
  workers: browser.workers, trials, kernel: native[0]?.kernel, longestStallMs: browser.longestStallMs, summary,
}));
if (short.length || !loadFailuresOk || !sentOk) process.exit(1);
console.log(`ok: all ${2 * expected} nonces give their transaction the weight`);
