// @iota/core 1.0.0-beta.30 against tangle-node: node info, a zero-value
// transfer through prepareTransfers + sendTrytes (remote proof of work), and
// reading it back with findTransactionObjects and getBundle.

import test from 'node:test';
import assert from 'node:assert/strict';

import {
  core, converter, transaction, transactionConverter, NODE_URL, MWM, DEPTH,
  randomTrytes, randomAddress, meetsWeight, command,
} from './node.mjs';

const iota = core.composeAPI({ provider: NODE_URL });

test('getNodeInfo answers what @iota/core reads', async () => {
  const info = await iota.getNodeInfo();
  assert.equal(info.appName, 'tangle-node');
  assert.equal(typeof info.appVersion, 'string');
  assert.equal(info.latestMilestoneIndex, info.latestSolidSubtangleMilestoneIndex);
  assert.equal(info.latestMilestone.length, 81);
  assert.ok(Number.isInteger(info.tips));
  assert.ok(Array.isArray(info.features));
  assert.ok(Number.isInteger(info.duration));
});

test('a zero-value transfer sent with sendTrytes is found and forms a valid bundle', async () => {
  const seed = randomTrytes(81);
  const address = randomAddress();
  const message = converter.asciiToTrytes(JSON.stringify({ hello: 'tangle-node', n: 1 }));
  // Two transactions: a message longer than one fragment.
  const long = message + '9'.repeat(2187) + message;
  const trytes = await iota.prepareTransfers(seed, [
    { address, value: 0, message: long, tag: 'TANGLENODE' },
  ]);
  assert.equal(trytes.length, 2);

  const sent = await iota.sendTrytes(trytes, DEPTH, MWM);
  assert.deepEqual(sent.map((t) => t.currentIndex), [0, 1], 'tail first, as from IRI');
  const tail = sent[0];
  assert.equal(tail.trunkTransaction, sent[1].hash, 'the tail approves the next transaction');

  const found = await iota.findTransactionObjects({ addresses: [address] });
  assert.deepEqual(found.map((t) => t.hash).sort(), sent.map((t) => t.hash).sort());
  const byTag = await iota.findTransactions({ tags: ['TANGLENODE'] });
  assert.ok(sent.every((t) => byTag.includes(t.hash)));

  const bundle = await iota.getBundle(tail.hash);
  assert.equal(bundle.length, 2);
  assert.equal(bundle[0].hash, tail.hash);
  assert.equal(
    bundle[0].signatureMessageFragment + bundle[1].signatureMessageFragment,
    long.padEnd(2 * 2187, '9'),
  );

  // The node's proof of work passes @iota/transaction's own validators.
  const stored = await iota.getTrytes(sent.map((t) => t.hash));
  for (const t of stored) {
    assert.ok(meetsWeight(t), 'hash meets the minimum weight magnitude');
    assert.ok(transaction.isAttached(converter.trytesToTrits(t)));
    const object = transactionConverter.asTransactionObject(t);
    assert.ok(sent.some((s) => s.hash === object.hash), 'the hash @iota/core computes is the one stored');
  }

  const states = await iota.getInclusionStates([tail.hash]);
  assert.deepEqual(states, [true]);
  assert.equal(await iota.checkConsistency([tail.hash]), true, 'checkConsistency');
  assert.equal(await iota.isPromotable(tail.hash), true, 'isPromotable (checkConsistency + timestamps)');
  assert.deepEqual(await iota.getNeighbors(), [], 'a private tangle has no neighbours');
  const balances = await iota.getBalances([address]);
  assert.deepEqual(balances.balances, [0]);
});

test('attachToTangle chains a bundle onto the given tips and broadcast stores it', async () => {
  const { trunkTransaction, branchTransaction } = await iota.getTransactionsToApprove(DEPTH);
  const trytes = await iota.prepareTransfers(randomTrytes(81), [
    { address: randomAddress(), value: 0, message: converter.asciiToTrytes('chained') },
    { address: randomAddress(), value: 0 },
  ]);
  const attached = await iota.attachToTangle(trunkTransaction, branchTransaction, MWM, trytes);
  const txs = attached.map((t) => transactionConverter.asTransactionObject(t));
  assert.deepEqual(txs.map((t) => t.currentIndex), [0, 1]);
  assert.equal(txs[1].trunkTransaction, trunkTransaction);
  assert.equal(txs[1].branchTransaction, branchTransaction);
  assert.equal(txs[0].trunkTransaction, txs[1].hash);
  assert.equal(txs[0].branchTransaction, trunkTransaction);
  await iota.broadcastTransactions(attached);
  await iota.storeTransactions(attached);
  const tips = await command({ command: 'getTips' });
  assert.ok(tips.body.hashes.includes(txs[0].hash), 'the new tail is a tip');
});

test('the node refuses transactions without enough proof of work', async () => {
  const trytes = await iota.prepareTransfers(randomTrytes(81), [{ address: randomAddress(), value: 0 }]);
  const { status, body } = await command({ command: 'storeTransactions', trytes });
  assert.equal(status, 400);
  assert.match(body.error, /minimum weight magnitude|not a valid transaction/);
  // @iota/core itself refuses to send unattached trytes (it throws before
  // returning a promise).
  let refused;
  try {
    await iota.storeTransactions(trytes);
  } catch (error) {
    refused = error;
  }
  assert.match(String(refused?.message), /Invalid attached trytes/);
});
