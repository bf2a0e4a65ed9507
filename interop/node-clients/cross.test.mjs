// Rust and JavaScript on one tangle: messages the Rust `mam attach` puts on
// tangle-node are read by @iota/mam.js's mamFetchAll, and messages
// mamAttach puts there are read by the Rust `mam fetch`. MAM_BIN names the
// Rust tool (scripts/test-node-interop.sh sets it).

import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { core, converter, mam, NODE_URL, MWM, DEPTH, randomTrytes } from './node.mjs';

const MAM_BIN = process.env.MAM_BIN;
const api = core.composeAPI({ provider: NODE_URL });

function mamCli(args, input) {
  const stdout = execFileSync(MAM_BIN, args, { input, encoding: 'utf8' });
  return stdout.trim().split('\n').map((line) => JSON.parse(line));
}

const texts = ['{"reading":1}', '{"reading":2}', '{"reading":3}'];

for (const mode of ['public', 'restricted']) {
  test(`${mode}: Rust attaches, @iota/mam.js fetches`, { skip: !MAM_BIN && 'MAM_BIN not set' }, async () => {
    const seed = randomTrytes(81);
    const sideKey = mode === 'restricted' ? randomTrytes(81) : undefined;
    const keyArgs = sideKey ? ['--side-key', sideKey] : [];
    const input = texts.map((message) => JSON.stringify({ message })).join('\n');
    const attached = mamCli(
      ['attach', '--node', NODE_URL, '--seed', seed, '--mode', mode, ...keyArgs, '--mwm', String(MWM), '--tag', 'RUST', '--jsonl'],
      input,
    );
    assert.equal(attached.length, texts.length);

    const fetched = await mam.mamFetchAll(api, attached[0].root, mode, sideKey);
    assert.deepEqual(
      fetched.map((m) => converter.trytesToAscii(m.message.replace(/9+$/, ''))),
      texts,
    );
  });

  test(`${mode}: @iota/mam.js attaches, Rust fetches`, { skip: !MAM_BIN && 'MAM_BIN not set' }, async () => {
    const sideKey = mode === 'restricted' ? randomTrytes(81) : undefined;
    const channel = mam.createChannel(randomTrytes(81), 2, mode, sideKey);
    const root = mam.channelRoot(channel);
    for (const text of texts) {
      const message = mam.createMessage(channel, converter.asciiToTrytes(text));
      await mam.mamAttach(api, message, DEPTH, MWM, 'MAMJS');
    }

    const keyArgs = sideKey ? ['--side-key', sideKey] : [];
    const lines = mamCli(['fetch', '--node', NODE_URL, '--root', root, '--mode', mode, ...keyArgs]);
    const messages = lines.filter((line) => 'message' in line);
    assert.deepEqual(messages.map((m) => m.message), texts);
    const last = lines[lines.length - 1];
    assert.equal(last.nextRoot, messages[messages.length - 1].nextRoot, 'continues after the last message');
    assert.equal(last.skipped, 0);
  });
}
