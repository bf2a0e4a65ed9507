// Times mam-lib's MAM create+parse compiled to WebAssembly (see
// mam-lib/examples/wasm_bench.rs) in Node.js, whose V8 is the engine of
// Chromium. Prints one JSON line like interop/bench-peers.mjs does.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const [, , pkgDir, messagePath] = process.argv;
const { MamBench } = require(`${pkgDir}/wasm_bench.js`);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const message = existsSync(messagePath) ? readFileSync(messagePath, 'utf8').trim() : 'x'.repeat(1000);

const bench = new MamBench(message);
bench.create_and_parse(1); // builds the first two trees
let messages = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  bench.create_and_parse(1);
  messages += 1;
}
const elapsed = (performance.now() - start) / 1000;

// Parsing alone: what a provider does with the data it reads.
const parseCount = Math.max(20, Math.min(500, messages));
bench.prepare(parseCount);
const parseStart = performance.now();
bench.parse_prepared();
const parseSeconds = (performance.now() - parseStart) / 1000;

console.log(JSON.stringify({
  library: 'mam-lib (wasm, Node.js V8)',
  messagesPerSecond: messages / elapsed,
  messages,
  seconds: elapsed,
  messageBytes: message.length,
  parseOnlyPerSecond: parseCount / parseSeconds,
}));
