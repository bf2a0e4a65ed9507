#!/usr/bin/env node
// Writes mam-lib/tests/vectors/bundles.json: zero-value bundles exactly as
// @iota/core 1.0.0-beta.30's prepareTransfers builds them, which
// mam-lib/tests/bundle_vectors.rs checks tryte for tryte.
//
//   node generate-bundle-vectors.mjs        (run in interop/, a few seconds)
//
// prepareTransfers reads the clock once for the issuance timestamp (seconds);
// createPrepareTransfers takes that clock as its second argument, so each case
// pins it instead of patching Date.now. Messages, addresses and tags come from
// a seeded stream, so a rerun writes a byte-identical file.

import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { TryteStream } from './lib/random-trytes.mjs';

const require = createRequire(import.meta.url);
const core = require('@iota/core');
const { asTransactionObject } = require('@iota/transaction-converter');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '..', 'mam-lib', 'tests', 'vectors', 'bundles.json');
const GENERATOR = 'interop/generate-bundle-vectors.mjs';
const REFERENCE = `@iota/core ${require('@iota/core/package.json').version}`;

// Zero-value transfers are never signed, so the seed does not matter
// (@iota/mam.js passes all 9s too).
const SEED = '9'.repeat(81);
const FRAGMENT = 2187;

const random = new TryteStream('mam-lib vectors: bundles');
const address = () => random.trytes(81);

/** One transfer as both sides write it: message and tag as given (unpadded). */
const transfer = (message, tag = '') => ({ address: address(), message, tag });

const cases = [
  { name: 'empty message, no tag', timestamp: 1_600_000_000, transfers: [transfer('')] },
  { name: 'one tryte', timestamp: 1_600_000_001, transfers: [transfer(random.trytes(1), 'MAMLIB')] },
  { name: 'message of one whole fragment (gets a second, empty transaction)', timestamp: 1_700_000_000, transfers: [transfer(random.trytes(FRAGMENT), 'ONEFRAGMENT')] },
  { name: 'one tryte past a fragment', timestamp: 1_700_000_001, transfers: [transfer(random.trytes(FRAGMENT + 1), random.trytes(27))] },
  { name: 'two whole fragments', timestamp: 1_700_000_002, transfers: [transfer(random.trytes(2 * FRAGMENT), 'TWO')] },
  { name: 'five thousand trytes', timestamp: 1_732_000_000, transfers: [transfer(random.trytes(5000), 'SMARTMETER')] },
  { name: 'eleven thousand trytes', timestamp: 1_732_000_123, transfers: [transfer(random.trytes(11_000), 'LONG')] },
  { name: 'message ending in nines', timestamp: 1_732_000_124, transfers: [transfer(`${random.trytes(40)}999999`, 'NINES')] },
  { name: 'timestamp zero', timestamp: 0, transfers: [transfer(random.trytes(300), 'EPOCH')] },
  {
    name: 'three transfers in one bundle',
    timestamp: 1_732_100_000,
    transfers: [transfer(random.trytes(100), 'FIRST'), transfer(random.trytes(3000), 'SECOND'), transfer('', '')],
  },
  (() => {
    const shared = address();
    return {
      name: 'two transfers to the same address',
      timestamp: 1_732_100_001,
      transfers: [
        { address: shared, message: random.trytes(2500), tag: 'SAME' },
        { address: shared, message: random.trytes(10), tag: 'SAME' },
      ],
    };
  })(),
];

// Further single transfers with random lengths and tags, to exercise the
// obsolete-tag search (most bundles need several increments).
for (let i = 0; i < 12; i++) {
  cases.push({
    name: `random ${i}`,
    timestamp: random.between(1_500_000_000, 1_900_000_000),
    transfers: [transfer(random.trytes(random.between(0, 7000)), random.trytes(random.between(0, 27)))],
  });
}

async function prepare({ name, timestamp, transfers }) {
  const prepareTransfers = core.createPrepareTransfers(undefined, () => timestamp * 1000);
  const trytes = await prepareTransfers(SEED, transfers.map((t) => ({ ...t, value: 0 })));
  const transactions = trytes.map((t) => asTransactionObject(t));
  const tail = transactions.find((t) => t.currentIndex === 0);
  return {
    name,
    timestamp,
    transfers,
    bundle: tail.bundle,
    obsoleteTag: tail.obsoleteTag,
    // As prepareTransfers returns them: the last index first.
    trytes,
  };
}

const vectors = [];
for (const c of cases) vectors.push(await prepare(c));

const body = {
  generator: GENERATOR,
  reference: REFERENCE,
  description:
    'Zero-value bundles: createPrepareTransfers(undefined, () => timestamp * 1000)(9…9, transfers with value 0). ' +
    '`trytes` is the array prepareTransfers resolves to (last index first); `bundle` and `obsoleteTag` are those of the transaction with index 0.',
  vectors,
};
const text = `${JSON.stringify(body, null, 1)}\n`;
await writeFile(OUT, text);
console.log(`wrote ${path.relative(process.cwd(), OUT)} (${vectors.length} bundles, ${(text.length / 1024).toFixed(0)} KiB)`);
