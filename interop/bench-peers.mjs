#!/usr/bin/env node
// Throughput of the two reference MAM libraries on the project's benchmark
// workload: restricted mode, security 2, a ~1 KB DSMR DATA message as ASCII
// JSON, create + parse per message, consecutive messages on one channel, one
// library after the other on one core (the same workload as
// `cargo bench -p mam-lib --bench mam_create_parse`, which runs this script).
//
//   BENCH_SECONDS=20 node bench-peers.mjs     (20 is the default, per library)
//
// Prints one JSON line per library:
//   {"library": "@iota/mam 0.7.3", "messagesPerSecond": x, "messages": n, "seconds": s}
// and writes the message to bench-message.json (its whole content is the
// message text, itself JSON), which the Rust benchmarks read.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import { dataMessage } from './lib/dsmr.mjs';
import { MAM_LIBRARIES, openChannel, parseMessage, asciiToTrytes } from './lib/references.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
if (!(seconds > 0)) {
  console.error(`error: BENCH_SECONDS must be a positive number of seconds, got ${process.env.BENCH_SECONDS}`);
  process.exit(2);
}

const text = dataMessage();
writeFileSync(fileURLToPath(new URL('./bench-message.json', import.meta.url)), `${text}\n`);
const message = asciiToTrytes(text);

// Fixed keys: the work does not depend on them, and fixed ones keep runs comparable.
const state = {
  seed: 'BENCH9SEED9'.padEnd(81, 'A'),
  mode: 'restricted',
  sideKey: 'BENCH9SIDE9KEY'.padEnd(81, 'B'),
  security: 2,
  start: 0,
  count: 1,
  nextCount: 1,
  index: 0,
};

function measure(library) {
  const channel = openChannel(library, state);
  const roundTrip = () => {
    const created = channel.create(message);
    const parsed = parseMessage(library, created.payload, created.root, state.sideKey);
    if (parsed.message !== message || parsed.nextRoot !== created.nextRoot) {
      throw new Error(`${library} did not read back its own message`);
    }
  };
  roundTrip(); // warm-up (JIT, wasm instantiation)
  let messages = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < seconds) {
    roundTrip();
    messages += 1;
    elapsed = (performance.now() - started) / 1000;
  }
  return { library, messagesPerSecond: messages / elapsed, messages, seconds: elapsed };
}

for (const library of MAM_LIBRARIES) {
  console.log(JSON.stringify(measure(library)));
}
