// @iota/mam.js 1.0.0-beta.10 against tangle-node: messages attached with
// mamAttach are read back with mamFetch and mamFetchAll, in every mode.

import test from 'node:test';
import assert from 'node:assert/strict';

import { core, converter, mam, NODE_URL, MWM, DEPTH, randomTrytes } from './node.mjs';

const api = core.composeAPI({ provider: NODE_URL });

for (const mode of ['public', 'private', 'restricted']) {
  test(`a ${mode} channel written with mamAttach reads back with mamFetch and mamFetchAll`, async () => {
    const sideKey = mode === 'restricted' ? randomTrytes(81) : undefined;
    // createMessage advances the channel state in place.
    const channel = mam.createChannel(randomTrytes(81), 2, mode, sideKey);
    const root = mam.channelRoot(channel);
    const texts = ['first reading', 'second reading', 'third reading'];
    for (const text of texts) {
      const message = mam.createMessage(channel, converter.asciiToTrytes(JSON.stringify({ text })));
      const attached = await mam.mamAttach(api, message, DEPTH, MWM, 'MAMJS');
      assert.ok(attached.length >= 1);
    }

    const first = await mam.mamFetch(api, root, mode, sideKey);
    assert.ok(first, 'the first message is found');
    assert.equal(JSON.parse(converter.trytesToAscii(first.message.replace(/9+$/, ''))).text, texts[0]);
    assert.equal(first.tag.slice(0, 5), 'MAMJS');

    const all = await mam.mamFetchAll(api, root, mode, sideKey);
    assert.deepEqual(
      all.map((m) => JSON.parse(converter.trytesToAscii(m.message.replace(/9+$/, ''))).text),
      texts,
    );
  });
}
