// Live cross-check of legacy addresses: the Rust `mam address` against
// @iota/core generateAddress, for fresh random seeds.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';

import { ReferencePool } from '../lib/pool.mjs';
import { CORE } from '../lib/labels.mjs';
import { randomFor } from '../lib/live.mjs';
import { mamLines } from '../lib/mam-cli.mjs';

const random = randomFor('addresses');
const pool = new ReferencePool();
after(() => pool.close());

describe(`legacy addresses, Rust <-> ${CORE} (${random.replay})`, { concurrency: true }, () => {
  for (let s = 0; s < 2; s++) {
    const seed = random.seed();
    for (const index of [0, 1, 7, random.between(1000, 1000000)]) {
      for (const security of [1, 2, 3]) {
        it(`seed ${seed.slice(0, 6)}…, index ${index}, security ${security}`, async () => {
          const [[rust], expected] = await Promise.all([
            mamLines(['address', '--seed', seed, '--index', String(index), '--security', String(security)]),
            pool.run('legacyAddress', seed, index, security),
          ]);
          assert.deepEqual(rust, { address: expected, index, security }, `seed ${seed} (${random.replay})`);
        });
      }
    }
  }

  it('defaults to index 0 and security 2', async () => {
    const seed = random.seed();
    const [[rust], expected] = await Promise.all([
      mamLines(['address', '--seed', seed]),
      pool.run('legacyAddress', seed, 0, 2),
    ]);
    assert.deepEqual(rust, { address: expected, index: 0, security: 2 }, `seed ${seed}`);
  });
});
