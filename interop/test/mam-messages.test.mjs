// Live cross-check of single MAM messages between the Rust `mam` tool and both
// reference libraries, with fresh random seeds, side keys and messages:
// every mode x security level x message size, the empty message, 10,000+
// trytes, starts other than 0 and Merkle trees of several leaves.

import { describe, it, after } from 'node:test';

import { ReferencePool } from '../lib/pool.mjs';
import { randomFor } from '../lib/live.mjs';
import { crossCheckMessage } from '../lib/cross-check.mjs';
import { channelState } from '../lib/channel-state.mjs';

const random = randomFor('mam-messages');
const pool = new ReferencePool();
after(() => pool.close());

const MODES = ['public', 'private', 'restricted'];
const TRANSACTION = 2187;

function state(mode, security, position = {}) {
  // Mostly full side keys, sometimes short ones (every implementation pads them with 9).
  const sideKeyLength = random.below(3) === 0 ? random.between(1, 80) : 81;
  const seed = random.seed();
  const sideKey = mode === 'restricted' ? random.trytes(sideKeyLength) : null;
  return channelState(seed, mode, sideKey, security, position);
}

const cases = [];
for (const mode of MODES) {
  for (const security of [1, 2, 3]) {
    cases.push([`${mode}, security ${security}, 1 tryte`, state(mode, security), random.trytes(1)]);
    cases.push([`${mode}, security ${security}, one transaction (2187 trytes), start > 0`,
      state(mode, security, { start: random.between(1, 1000) }), random.trytes(TRANSACTION)]);
    cases.push([`${mode}, security ${security}, several transactions (6562 trytes), start > 1000`,
      state(mode, security, { start: random.between(1001, 100000) }), random.trytes(3 * TRANSACTION + 1)]);
  }
  cases.push([`${mode}, empty message`, state(mode, random.between(1, 3)), '']);
}
// 10,000+ trytes, one per mode, at a random security level each.
for (const mode of MODES) {
  cases.push([`${mode}, 10,000+ trytes`, state(mode, random.between(1, 3)), random.trytes(random.between(10000, 10500))]);
}
// Merkle trees of several leaves (the references agree only on powers of two).
const positions = [
  ['count 2, last leaf', { count: 2, nextCount: 2, index: 1 }],
  ['count 4, random leaf, start > 0', { start: random.between(1, 500), count: 4, nextCount: 4, index: random.below(4) }],
  ['count 8, next count 8, random leaf', { count: 8, nextCount: 8, index: random.below(8) }],
  ['count 32, leaf 27 (a zero tryte in the index code)', { start: random.between(0, 100), count: 32, nextCount: 32, index: 27 }],
  ['count 1, next count 4', { start: random.between(0, 50), count: 1, nextCount: 4 }],
  ['count 4, next count 2, last leaf', { count: 4, nextCount: 2, index: 3 }],
  // Not powers of two: mam-lib builds @iota/mam.js's tree (the original cannot; see README.md).
  ['count 3, leaf 1 (odd tree, mam.js only)', { count: 3, nextCount: 3, index: 1 }],
  ['count 6, leaf 2, next count 5 (odd trees, mam.js only)', { start: random.between(0, 100), count: 6, nextCount: 5, index: 2 }],
];
for (const [what, position] of positions) {
  const mode = random.pick(MODES);
  cases.push([`${mode}, security 2, ${what}`, state(mode, 2, position), random.trytes(random.between(1, 500))]);
}

describe(`MAM messages, Rust <-> @iota/mam and @iota/mam.js (${random.replay})`, { concurrency: true }, () => {
  for (const [name, channel, message] of cases) {
    it(name, () => crossCheckMessage(pool, channel, message, random.replay));
  }
});
