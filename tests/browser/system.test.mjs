// The system harness (lib/system.mjs) on its own: it starts a real node, the
// P1 cable, the Pi reader and a simulated meter, the reader publishes, the
// provider probe answers, and stop() leaves no process behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { scratchDir as makeScratchDir } from './lib/scratch.mjs';
import { startSystem, waitFor } from './lib/system.mjs';

const TRYTES_81 = /^[A-Z9]{81}$/;
// The reader makes a message once 10 telegrams wait (the meter sends one a
// second) or the oldest waited --max-delay (2 s below); proof of work at
// weight 3 takes well under a second.
const PUBLISH_TIMEOUT_MS = 60_000;

let system;
let scratchDir;

before(async () => {
  scratchDir = await makeScratchDir('system-test');
  system = await startSystem({
    mwm: 3,
    scratchDir,
    readerArgs: ['--max-delay', '2s', '--poll-interval', '1s'],
  });
});

after(async () => {
  await system?.stop();
});

test('the device shows its address and pairing secret', async () => {
  assert.match(system.nodeUrl, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
  assert.match(system.deviceAddress, TRYTES_81);
  assert.match(system.pairingSecret, /^[A-Z9]+$/);
  const info = await system.info();
  assert.equal(info.address, system.deviceAddress);
  assert.equal(info.pairing_secret, system.pairingSecret);
  assert.equal(info.paired_root, null, 'a fresh device has no owner');
});

test('the Pi reader publishes the simulated meter\'s telegrams', async () => {
  // Messages on the Tangle: made and attached.
  const attached = (info) => info.messages - info.messages_unattached;
  const first = await waitFor(
    'a first message on the Tangle',
    async () => {
      const info = await system.info();
      return attached(info) > 0 && info.counters.telegrams_published > 0 && info;
    },
    { timeoutMs: PUBLISH_TIMEOUT_MS, hint: async () => JSON.stringify(await system.info()) },
  );
  await waitFor(
    'a further message on the Tangle, with more telegrams',
    async () => {
      const info = await system.info();
      return (
        attached(info) > attached(first) &&
        info.counters.telegrams_published > first.counters.telegrams_published
      );
    },
    { timeoutMs: PUBLISH_TIMEOUT_MS, hint: async () => JSON.stringify(await system.info()) },
  );
  const info = await system.info();
  assert.equal(info.counters.telegrams_bad_crc, 0);
  assert.equal(info.counters.node_errors, 0);
});

test('the provider probe gives an identity and fails cleanly without keys', async () => {
  const seed = 'PROBE'.padEnd(81, '9');
  const identity = await system.probe(['identity', '--seed', seed]);
  assert.match(identity.address, TRYTES_81);
  assert.match(identity.publicKeyTrytes, /^[A-Z9]+$/);
  await assert.rejects(
    system.probe(['keys', '--seed', seed, '--nonce', 'NONCE'.padEnd(81, '9'), '--timeout', '1s']),
    /no keys arrived at [A-Z9]{81} within 1s/,
  );
});

test('stop ends every process and can be called twice', async () => {
  const port = new URL(system.nodeUrl).port;
  await system.stop();
  await system.stop();
  await assert.rejects(
    fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) }),
    'the node no longer answers',
  );
  system = undefined;
});
