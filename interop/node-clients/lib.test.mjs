// iota.lib.js 0.5.3 against tangle-node: node info, sendTransfer (remote
// proof of work), findTransactionObjects.

import test from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';

import { IOTA, NODE_URL, MWM, DEPTH, randomTrytes, randomAddress, meetsWeight } from './node.mjs';

const iota = new IOTA({ provider: NODE_URL });
const api = {
  getNodeInfo: promisify(iota.api.getNodeInfo.bind(iota.api)),
  sendTransfer: promisify(iota.api.sendTransfer.bind(iota.api)),
  findTransactionObjects: promisify(iota.api.findTransactionObjects.bind(iota.api)),
  getTrytes: promisify(iota.api.getTrytes.bind(iota.api)),
  getLatestInclusion: promisify(iota.api.getLatestInclusion.bind(iota.api)),
};

test('getNodeInfo answers what iota.lib.js reads', async () => {
  const info = await api.getNodeInfo();
  assert.equal(info.appName, 'tangle-node');
  assert.equal(info.latestSolidSubtangleMilestone.length, 81);
});

test('sendTransfer stores a message that findTransactionObjects finds', async () => {
  const address = randomAddress();
  const message = iota.utils.toTrytes(JSON.stringify({ from: 'iota.lib.js' }));
  const sent = await api.sendTransfer(randomTrytes(81), DEPTH, MWM, [
    { address, value: 0, message, tag: 'LIBJS' },
  ]);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].currentIndex, 0);

  const found = await api.findTransactionObjects({ addresses: [address] });
  assert.deepEqual(found.map((t) => t.hash), [sent[0].hash]);
  assert.equal(found[0].signatureMessageFragment.slice(0, message.length), message);
  assert.equal(JSON.parse(iota.utils.extractJson([found[0]])).from, 'iota.lib.js');

  const [trytes] = await api.getTrytes([sent[0].hash]);
  assert.ok(meetsWeight(trytes));
  assert.deepEqual(await api.getLatestInclusion([sent[0].hash]), [true]);
});
