// The consent protocol's wire format (ARCHITECTURE.md, "Protocol", v2) against
// the legacy reference packages: @iota/converter, @iota/kerl and iota.lib.js
// (toTrytes, Kerl, extractJson); the v2 pairing proofs (claim proof, sealed
// root) are computed with those Kerls in the generator, not by our Rust.
//
// 1. The committed consent-protocol/tests/vectors/protocol.json is exactly what the
//    references compute today (rerun with the fixed seed, byte for byte).
// 2. Live: vectors from fresh random inputs, checked by the Rust harness
//    consent-protocol/tests/protocol_vectors.rs (`cargo test`, PROTOCOL_VECTORS set to
//    a temporary file). Replay with the INTEROP_RANDOM_SEED it prints.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import {
  buildProtocolVectors, vectorText, FIXED_SEED, PROTOCOL_VECTORS,
} from '../generate-protocol-vectors.mjs';
import { randomFor } from '../lib/live.mjs';

const require = createRequire(import.meta.url);
const converter = require('@iota/converter');

const REPOSITORY = path.resolve(path.dirname(PROTOCOL_VECTORS), '..', '..', '..');
const SECTIONS = ['messages', 'signedChallenges', 'pairingProofs', 'extractJson'];

/** Every type the spec names, by family. */
const SPEC_TYPES = {
  transfer: ['CLAIM_DEVICE', 'CHALLENGE', 'ANSWER_CHALLENGE', 'CLAIM_RESULT', 'MAM_DATA'],
  device: ['DATA', 'KEY_ROTATION'],
  event: ['DEVICE_ADDED', 'DEVICE_DELETED', 'AUTHORIZED', 'AUTHORIZATION_REVOKED'],
};

/** Checks of a vector set that need no Rust: coverage and self-consistency. */
function checkShape(vectors) {
  for (const [family, types] of Object.entries(SPEC_TYPES)) {
    const present = new Set(vectors.messages.filter((m) => m.family === family).map((m) => m.message.type));
    assert.deepEqual(types.filter((t) => !present.has(t)), [], `${family} types without a vector`);
  }
  // v2: no owner root travels in clear in pairing or MAM_DATA.
  for (const type of ['ANSWER_CHALLENGE', 'MAM_DATA']) {
    const m = vectors.messages.find((v) => v.message.type === type);
    assert.equal(m.message.root, undefined, `${type} carries no root in clear`);
  }
  const claim = vectors.messages.find((v) => v.message.type === 'CLAIM_DEVICE');
  assert.ok(claim.message.nonce && claim.message.proof, 'CLAIM_DEVICE carries a nonce and a proof');
  // v2: the device's replies prove the secret too.
  for (const type of ['CHALLENGE', 'CLAIM_RESULT']) {
    for (const m of vectors.messages.filter((v) => v.message.type === type)) {
      assert.match(m.message.proof ?? '', /^[9A-Z]{81}$/, `${m.name} carries a proof`);
    }
  }
  assert.ok(vectors.pairingProofs.length > 0, 'pairing proofs');
  for (const m of vectors.messages) {
    assert.match(m.json, /^[\x20-\x7f]*$/, `${m.name}: JSON text is ASCII`);
    assert.deepEqual(JSON.parse(m.json), m.message, `${m.name}: JSON text reads back`);
    assert.equal(converter.trytesToAscii(m.trytes), m.json, `${m.name}: trytes read back`);
  }
}

describe('consent protocol vectors', () => {
  it('the committed file is what the references compute', async () => {
    const committed = await readFile(PROTOCOL_VECTORS, 'utf8');
    const fresh = buildProtocolVectors(FIXED_SEED);
    if (committed !== vectorText(fresh)) {
      // Name the first vector that differs rather than diffing 250 KB.
      const old = JSON.parse(committed);
      for (const section of SECTIONS) {
        const length = Math.max(old[section]?.length ?? 0, fresh[section].length);
        for (let i = 0; i < length; i++) {
          assert.deepEqual(old[section]?.[i], fresh[section][i], `${section}[${i}] differs: rerun \`npm run protocol-vectors\` and look at the diff`);
        }
      }
      assert.equal(committed, vectorText(fresh), 'protocol.json differs outside the vectors: rerun `npm run protocol-vectors`');
    }
    checkShape(fresh);
  });

  const random = randomFor('protocol');
  let dir;
  after(() => dir && rm(dir, { recursive: true, force: true }));

  it(`fresh vectors pass consent-protocol's protocol_vectors test (${random.replay})`, { timeout: 900_000 }, async () => {
    const vectors = buildProtocolVectors(random.seedText);
    checkShape(vectors);
    dir = await mkdtemp(path.join(tmpdir(), 'protocol-vectors-'));
    const file = path.join(dir, 'protocol.json');
    await writeFile(file, vectorText(vectors));
    const args = ['test', '--quiet', '--release', '-p', 'consent-protocol', '--test', 'protocol_vectors'];
    try {
      await promisify(execFile)('cargo', args, {
        cwd: REPOSITORY,
        env: { ...process.env, PROTOCOL_VECTORS: file },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e) {
      const output = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
      assert.fail(`cargo ${args.join(' ')} failed on fresh vectors (${random.replay}):\n${output || e.message}`);
    }
  });
});
