#!/usr/bin/env node
// Writes the known-answer vectors that mam-lib/tests/interop_vectors.rs checks,
// from IOTA's reference JavaScript libraries, into mam-lib/tests/vectors/.
//
//   npm run vectors            (about three minutes on two cores)
//
// Everything is derived from fixed text seeds, and both MAM references choose
// their signature nonce deterministically (the original by its own search,
// @iota/mam.js by its Hamming-weight search from the sponge state), so a rerun
// writes byte-identical files; `git diff` after a rerun shows a change in a
// reference, not noise. See README.md for the file formats and what the
// references accept.

import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { TryteStream } from './lib/random-trytes.mjs';
import { ReferencePool } from './lib/pool.mjs';
import { dataMessage } from './lib/dsmr.mjs';
import {
  ORIGINAL, MAMJS, MAM_LIBRARIES, CORE, CURL, KERL, CONVERTER,
  asciiToTrytes, trytesToAscii, tritsToRecord, runSponge,
} from './lib/references.mjs';
import { channelState } from './lib/channel-state.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '..', 'mam-lib', 'tests', 'vectors');
const GENERATOR = 'interop/generate-vectors.mjs';

const TRANSACTION_MESSAGE_TRYTES = 2187;

async function write(name, body) {
  const file = path.join(OUT, name);
  const text = `${JSON.stringify({ generator: GENERATOR, ...body }, null, 1)}\n`;
  await writeFile(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${(text.length / 1024).toFixed(0)} KiB)`);
}

// ---------------------------------------------------------------- addresses

async function addresses(pool) {
  const random = new TryteStream('mam-lib vectors: addresses');
  const seeds = [random.seed(), random.seed(), '9'.repeat(81), 'Z'.repeat(81)];
  const indexes = [0, 1, 7, 1000, 65537];
  const jobs = [];
  for (const seed of seeds) {
    for (const index of indexes) {
      for (const security of [1, 2, 3]) {
        jobs.push(pool.run('legacyAddress', seed, index, security).then((address) => ({ seed, index, security, address })));
      }
    }
  }
  await write('addresses.json', {
    reference: CORE,
    description: 'Legacy Kerl addresses: generateAddress(seed, index, security, checksum = false).',
    vectors: await Promise.all(jobs),
  });
}

// ---------------------------------------------------------------- sponges

/** Operations as written to the file, and the same run through the reference. */
function spongeCase(kind, rounds, name, plan, random) {
  const operations = plan.map((step) => (step.absorb !== undefined ? { absorb: random.trits(step.absorb) } : { squeeze: step.squeeze }));
  const outputs = runSponge(kind, rounds, operations);
  let next = 0;
  return {
    name,
    ...(kind === 'curl' ? { rounds } : {}),
    operations: operations.map((op) => (op.absorb
      ? { op: 'absorb', trits: tritsToRecord(op.absorb) }
      : { op: 'squeeze', length: op.squeeze, expect: tritsToRecord(outputs[next++]) })),
  };
}

async function curl() {
  const random = new TryteStream('mam-lib vectors: curl');
  const plans = [
    ['one block', [{ absorb: 243 }, { squeeze: 243 }]],
    ['two blocks', [{ absorb: 486 }, { squeeze: 243 }]],
    ['partial block: only the first 100 trits of the state are overwritten', [{ absorb: 243 }, { absorb: 100 }, { squeeze: 243 }]],
    ['one trit', [{ absorb: 1 }, { squeeze: 243 }]],
    ['absorbing nothing still transforms once', [{ absorb: 243 }, { absorb: 0 }, { squeeze: 243 }]],
    ['short squeeze copies 81 trits then transforms', [{ absorb: 243 }, { squeeze: 81 }, { squeeze: 243 }]],
    ['multi-block squeeze', [{ absorb: 243 }, { squeeze: 729 }]],
    ['interleaved', [{ absorb: 243 }, { squeeze: 243 }, { absorb: 300 }, { squeeze: 486 }, { squeeze: 100 }]],
    ['transaction-sized input (8019 trits)', [{ absorb: 8019 }, { squeeze: 243 }]],
    ['squeeze without absorb', [{ squeeze: 243 }]],
  ];
  const vectors = [];
  for (const rounds of [27, 81]) {
    for (const [name, plan] of plans) vectors.push(spongeCase('curl', rounds, name, plan, random));
  }
  await write('curl.json', {
    reference: CURL,
    description: 'Curl-P-27 and Curl-P-81. absorb: for each block of up to 243 trits, copy it over the start of the state, then transform (an empty absorb transforms once). squeeze: for each block, copy up to 243 trits of the state out, then transform. A trit sequence is {trytes, length}: its trits padded with zero trits to whole trytes, and how many count.',
    vectors,
  });
}

async function kerl() {
  const random = new TryteStream('mam-lib vectors: kerl');
  const plans = [
    ['one block', [{ absorb: 243 }, { squeeze: 243 }]],
    ['two blocks in, two out', [{ absorb: 486 }, { squeeze: 486 }]],
    ['challenge || root || secret (protocol ANSWER_CHALLENGE)', [{ absorb: 729 }, { squeeze: 243 }]],
    ['interleaved', [{ absorb: 243 }, { squeeze: 243 }, { absorb: 243 }, { squeeze: 243 }]],
    ['long input', [{ absorb: 243 * 12 }, { squeeze: 729 }]],
  ];
  await write('kerl.json', {
    reference: KERL,
    description: 'Kerl (Keccak-384 over 243-trit blocks). Lengths are multiples of 243. Trit sequences as in curl.json.',
    vectors: plans.map(([name, plan]) => spongeCase('kerl', 0, name, plan, random)),
  });
}

// ---------------------------------------------------------------- converter

async function converterVectors() {
  const allAscii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
  const texts = ['', 'A', 'Hello, IOTA!', allAscii, '{"type":"CLAIM_DEVICE","sender":"ABC"}', dataMessage()];
  const random = new TryteStream('mam-lib vectors: converter');
  const evenTrytes = [
    'IC', // one byte: 9 + 3 * 27 = 90, 'Z'
    `${asciiToTrytes('{"a":1}')}9999`, // padding pairs are dropped by trytesToAscii
    `99${asciiToTrytes('x')}99${asciiToTrytes('y')}`,
  ];
  return write('converter.json', {
    reference: CONVERTER,
    description: 'asciiToTrytes: byte b -> trytes (b mod 27, b div 27). The reference accepts only ASCII (0..127). trytesToAscii: the inverse, and it DROPS every "99" pair (byte 0), which is how legacy readers strip 9-padding. Pairs whose value exceeds 255 are not tested.',
    asciiToTrytes: texts.map((text) => ({ text, trytes: asciiToTrytes(text) })),
    trytesToAscii: evenTrytes.map((trytes) => ({ trytes, text: trytesToAscii(trytes) })),
    randomRoundTrip: Array.from({ length: 3 }, () => {
      const length = random.between(1, 64);
      const text = Array.from({ length }, () => String.fromCharCode(random.between(1, 127))).join('');
      return { text, trytes: asciiToTrytes(text) };
    }),
  });
}

// ---------------------------------------------------------------- MAM

const MODES = ['public', 'private', 'restricted'];

/** Create with both references, then cross-check them before anything is written. */
async function mamRecord(pool, name, state, message) {
  const references = {};
  await Promise.all(MAM_LIBRARIES.map(async (library) => {
    const result = await pool.attempt('createChain', library, state, [message]);
    if (result.error) {
      references[library] = { error: result.error };
      return;
    }
    const [created] = result.created;
    if (result.channelRoot !== created.root) throw new Error(`${name}: ${library} channel root differs from message root`);
    references[library] = { root: created.root, address: created.address, nextRoot: created.nextRoot, payload: created.payload, after: created.after };
  }));
  const made = MAM_LIBRARIES.filter((library) => !references[library].error);
  if (made.length === 0) throw new Error(`${name}: no reference accepts it: ${JSON.stringify(references)}`);
  for (const field of ['root', 'address', 'nextRoot']) {
    const values = new Set(made.map((library) => references[library][field]));
    if (values.size > 1) throw new Error(`${name}: the references disagree on ${field}`);
  }
  // Each reference must parse every payload, its own and the other's.
  await Promise.all(made.flatMap((maker) => MAM_LIBRARIES.map(async (reader) => {
    const { payload, root } = references[maker];
    const parsed = await pool.run('parseMessage', reader, payload, root, state.sideKey);
    if (parsed.message !== message || parsed.nextRoot !== references[maker].nextRoot) {
      throw new Error(`${name}: ${reader} parses the payload of ${maker} wrongly`);
    }
  })));
  const ordered = Object.fromEntries(MAM_LIBRARIES.map((library) => [library, references[library]]));
  return { name, ...state, message, references: ordered };
}

async function mamMessages(pool) {
  const random = new TryteStream('mam-lib vectors: mam messages');
  const cases = [];
  const add = (name, state, message) => cases.push([name, state, message]);

  // Every mode x security x size; the larger size also from a start other than 0.
  for (const mode of MODES) {
    for (const security of [1, 2, 3]) {
      // An 81-tryte side key, and a short one (padded with 9 by everyone) at security 2.
      const sideKey = random.trytes(security === 2 ? 27 : 81);
      const seed = random.seed();
      add(`${mode} security ${security}: 1 tryte`, channelState(seed, mode, sideKey, security), random.trytes(1));
      add(`${mode} security ${security}: one transaction (2187 trytes)`, channelState(seed, mode, sideKey, security, { start: 1 }), random.trytes(TRANSACTION_MESSAGE_TRYTES));
      add(`${mode} security ${security}: three transactions and one tryte (6562 trytes), start 17`, channelState(seed, mode, sideKey, security, { start: 17 }), random.trytes(3 * TRANSACTION_MESSAGE_TRYTES + 1));
    }
  }
  // The empty message: only the original accepts it.
  for (const mode of MODES) add(`${mode} security 2: empty message`, channelState(random.seed(), mode, random.trytes(81), 2), '');
  // 10,000+ trytes, once per mode.
  add('public security 1: 10001 trytes', channelState(random.seed(), 'public', null, 1), random.trytes(10001));
  add('private security 2: 10001 trytes', channelState(random.seed(), 'private', null, 2, { start: 3 }), random.trytes(10001));
  add('restricted security 3: 10001 trytes', channelState(random.seed(), 'restricted', random.trytes(81), 3), random.trytes(10001));
  // The device's workload: a DATA message as ASCII JSON.
  add('restricted security 2: DSMR DATA message (ASCII JSON)', channelState(random.seed(), 'restricted', random.trytes(81), 2), asciiToTrytes(dataMessage()));
  // Merkle positions (counts are powers of two; see mam-odd-counts.json for the rest).
  const positions = [
    ['large start', { start: 123456 }],
    ['count 2, index 0', { count: 2, nextCount: 2, index: 0 }],
    ['count 2, index 1 (last leaf: the references advance start)', { count: 2, nextCount: 2, index: 1 }],
    ['start 8, count 4, index 2', { start: 8, count: 4, nextCount: 4, index: 2 }],
    ['start 3, count 8, index 5', { start: 3, count: 8, nextCount: 8, index: 5 }],
    ['count 16, index 15', { count: 16, nextCount: 16, index: 15 }],
    ['count 32, index 27 (a zero tryte in the index\'s Pascal code)', { start: 2, count: 32, nextCount: 32, index: 27 }],
    ['count 1, next count 4', { count: 1, nextCount: 4 }],
    ['start 5, count 4, next count 2, index 3 (last leaf)', { start: 5, count: 4, nextCount: 2, index: 3 }],
  ];
  for (const [what, position] of positions) {
    const mode = random.pick(MODES);
    add(`${mode} security 2: ${what}`, channelState(random.seed(), mode, random.trytes(81), 2, position), random.trytes(random.between(1, 300)));
  }
  // Short side keys.
  add('restricted security 1: 1-tryte side key', channelState(random.seed(), 'restricted', 'A', 1), random.trytes(50));
  add('restricted security 1: 80-tryte side key', channelState(random.seed(), 'restricted', random.trytes(80), 1), random.trytes(50));

  const vectors = await Promise.all(cases.map(([name, state, message]) => mamRecord(pool, name, state, message)));
  await write('mam.json', {
    references: MAM_LIBRARIES,
    description: 'Single MAM v0 messages. Each vector: the channel state before the message (sideKey as given, before padding to 81 trytes with 9; null outside restricted mode), the message trytes, and per reference library its root, address, nextRoot, payload and channel state after, or {error} where it refuses the input. Roots, addresses and next roots agree between the references; payloads differ (nonce choice and padding) and each parses the other\'s.',
    vectors,
  });
}

async function mamChannels(pool) {
  const random = new TryteStream('mam-lib vectors: mam channels');
  const channels = [
    ['public security 2, count 1: five messages', channelState(random.seed(), 'public', null, 2)],
    ['restricted security 1, count 2: five messages across three trees', channelState(random.seed(), 'restricted', random.trytes(81), 1, { count: 2, nextCount: 2 })],
    ['private security 3, start 10, count 4: five messages', channelState(random.seed(), 'private', null, 3, { start: 10, count: 4, nextCount: 4 })],
  ];
  const vectors = await Promise.all(channels.map(async ([name, state]) => {
    const messages = [1, 2187, 40, 500, 7].map((n) => random.trytes(n));
    const references = {};
    await Promise.all(MAM_LIBRARIES.map(async (library) => {
      const { created } = await pool.run('createChain', library, state, messages);
      references[library] = created.map(({ root, address, nextRoot, payload, before, after }) => ({ root, address, nextRoot, payload, before, after }));
    }));
    for (let i = 0; i < messages.length; i++) {
      const [a, b] = MAM_LIBRARIES.map((library) => references[library][i]);
      if (a.root !== b.root || a.nextRoot !== b.nextRoot || a.address !== b.address) throw new Error(`${name}: message ${i} differs between references`);
      if (i > 0) {
        const previous = references[MAM_LIBRARIES[0]][i - 1];
        const expected = a.before.index === 0 ? previous.nextRoot : previous.root;
        if (a.root !== expected) throw new Error(`${name}: message ${i} does not continue the chain`);
      }
    }
    const ordered = Object.fromEntries(MAM_LIBRARIES.map((library) => [library, references[library]]));
    return { name, ...state, messages, references: ordered };
  }));
  await write('mam-channels.json', {
    references: MAM_LIBRARIES,
    description: 'Consecutive messages on one channel, count == nextCount. The channel state at the top is the state before the first message; each created message records the reference\'s state before and after it. A message at index 0 has the previous message\'s nextRoot as its root; a later index in the same tree has the previous message\'s root.',
    vectors,
  });
}

async function mamOddCounts(pool) {
  const random = new TryteStream('mam-lib vectors: mam odd counts');
  // [count, index, mam.js payload verifies?]
  const leaves = [[3, 0, true], [3, 1, true], [3, 2, false], [5, 3, true], [5, 4, false], [6, 2, true], [6, 4, false], [6, 5, false]];
  const seed = random.seed();
  const vectors = await Promise.all(leaves.map(async ([count, index, verifies]) => {
    const state = channelState(seed, 'public', null, 1, { count, nextCount: count, index });
    const message = random.trytes(20);
    const { channelRoot, created: [made] } = await pool.run('createChain', MAMJS, state, [message]);
    const parses = await Promise.all(MAM_LIBRARIES.map((reader) => pool.attempt('parseMessage', reader, made.payload, made.root, null)));
    const accepted = parses.map((p) => !p.error && p.message === message);
    if (accepted.some((a) => a !== verifies)) throw new Error(`odd count ${count} index ${index}: expected verifies=${verifies}, got ${accepted}`);
    return {
      name: `count ${count}, index ${index}: ${verifies ? 'valid' : 'invalid (leaf under a promoted node)'}`,
      ...state,
      message,
      valid: verifies,
      references: { [MAMJS]: { root: channelRoot, address: made.address, nextRoot: made.nextRoot, payload: made.payload } },
    };
  }));
  await write('mam-odd-counts.json', {
    references: [MAMJS],
    description: `Merkle trees whose leaf count is not a power of two. Here the references disagree: ${MAMJS} pairs leaves left to right and promotes a lone node unhashed; ${ORIGINAL} builds a different, left-padded tree (other roots) and panics or writes unverifiable messages, so it has no entry. valid: whether the ${MAMJS} payload verifies (both references parse the valid ones and reject the invalid ones). A parser must accept the valid payloads and reject the invalid ones; mam-lib builds the ${MAMJS} tree, so its roots equal these.`,
    vectors,
  });
}

// ---------------------------------------------------------------- main

async function main() {
  await mkdir(OUT, { recursive: true });
  const started = Date.now();
  const pool = new ReferencePool();
  try {
    await curl();
    await kerl();
    await converterVectors();
    // The slow, pooled ones together, so both cores stay busy.
    await Promise.all([addresses(pool), mamMessages(pool), mamChannels(pool)]);
  } finally {
    await pool.close();
  }
  // The original panics on the invalid odd-count payloads, which can leave its
  // wasm module broken for the rest of that thread: use threads of their own.
  const oddPool = new ReferencePool();
  try {
    await mamOddCounts(oddPool);
  } finally {
    await oddPool.close();
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
