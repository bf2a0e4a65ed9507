// Live cross-check of MAM channels: many consecutive messages on one channel,
// created by one implementation and read by the others, and text messages.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';

import { ReferencePool } from '../lib/pool.mjs';
import { ORIGINAL, MAMJS, MAM_LIBRARIES } from '../lib/labels.mjs';
import { randomFor, describeState, expectedText, textTrytes, positionAfter } from '../lib/live.mjs';
import { rustCreateChain, rustParseMany, mamLines } from '../lib/mam-cli.mjs';
import { dataMessage } from '../lib/dsmr.mjs';
import { channelState } from '../lib/channel-state.mjs';

const random = randomFor('mam-channels');
const pool = new ReferencePool();
after(() => pool.close());

function channel(mode, security, position = {}) {
  const seed = random.seed();
  const sideKey = mode === 'restricted' ? random.trytes(81) : null;
  return channelState(seed, mode, sideKey, security, position);
}

const sideKeyOf = (state) => (state.mode === 'restricted' ? { sideKey: state.sideKey } : {});

/** Each message's root is the previous next root at a tree's first leaf, else the previous root. */
function assertLinked(messages, context) {
  for (let i = 1; i < messages.length; i++) {
    const expected = messages[i].index === 0 ? messages[i - 1].nextRoot : messages[i - 1].root;
    assert.equal(messages[i].root, expected, `${context}: message ${i} does not continue the channel`);
  }
}

/** Rust parses every payload of a chain; returns the parsed lines. */
async function rustReads(chain, state, context) {
  const result = await rustParseMany(chain.map((m) => ({ payload: m.payload, root: m.root, ...sideKeyOf(state) })));
  assert.equal(result.code, 0, `${context}: mam parse failed: ${result.stderr.trim()} ${JSON.stringify(result.lines.filter((l) => l.error))}`);
  assert.equal(result.lines.length, chain.length, `${context}: mam parse output lines`);
  return result.lines;
}

/** Both references parse every Rust payload of a chain. */
async function referencesRead(chain, state, messages, context) {
  await Promise.all(chain.flatMap((made, i) => MAM_LIBRARIES.map(async (library) => {
    const parsed = await pool.run('parseMessage', library, made.payload, made.root, state.sideKey)
      .catch((e) => assert.fail(`${context}: ${library} rejects Rust message ${i}: ${e.message}`));
    assert.equal(parsed.message, messages[i], `${context}: message ${i} as ${library} reads it`);
    assert.equal(parsed.nextRoot, made.nextRoot, `${context}: next root ${i} as ${library} reads it`);
  })));
}

/** Rust's chain equals a reference's: roots, addresses, next roots, positions. */
function assertSameChain(rust, reference, library, state, context) {
  rust.forEach((r, i) => {
    const ref = reference[i];
    assert.equal(r.root, ref.root, `${context}: message ${i} root vs ${library}`);
    assert.equal(r.address, ref.address, `${context}: message ${i} address vs ${library}`);
    assert.equal(r.nextRoot, ref.nextRoot, `${context}: message ${i} next root vs ${library}`);
    if (state.count === state.nextCount) {
      const { start, count, nextCount, index } = r.channel;
      assert.deepEqual({ start, count, nextCount, index }, ref.after, `${context}: position after message ${i} vs ${library}`);
    }
  });
}

describe(`MAM channels (${random.replay})`, { concurrency: true }, () => {
  it('a Rust channel of 12 consecutive messages (the device workload) reads in both references and equals the original\'s', async () => {
    const state = channel('restricted', 2);
    const context = `${describeState(state)} (${random.replay})`;
    const messages = Array.from({ length: 12 }, (_, i) => (i % 3 === 0
      ? textTrytes(dataMessage(1705480215000 + i * 10000))
      : random.trytes(random.between(1, 3000))));
    const [rust, original] = await Promise.all([
      rustCreateChain(state, messages.map((trytes) => ({ trytes }))),
      pool.run('createChain', ORIGINAL, state, messages),
    ]);
    assert.equal(rust.length, messages.length, `${context}: mam create output lines`);
    rust.forEach((r, i) => assert.deepEqual(
      { start: r.channel.start, index: r.channel.index }, { start: i + 1, index: 0 }, `${context}: position after message ${i}`));
    assertLinked(rust.map((r, i) => ({ ...r, index: 0 })), context);
    assertSameChain(rust, original.created, ORIGINAL, state, context);
    await referencesRead(rust, state, messages, context);
    const parsed = await rustReads(rust, state, context);
    parsed.forEach((p, i) => assert.equal(p.trytes, messages[i], `${context}: Rust reads its own message ${i}`));
  });

  for (const library of MAM_LIBRARIES) {
    const length = library === MAMJS ? 10 : 12;
    it(`a ${library} channel of ${length} consecutive messages reads in Rust, with the roots Rust computes`, async () => {
      const state = channel(random.pick(['public', 'private', 'restricted']), random.between(1, 3));
      const context = `${library} ${describeState(state)} (${random.replay})`;
      const messages = Array.from({ length }, () => random.trytes(random.between(1, 2500)));
      const [{ created }, rust] = await Promise.all([
        pool.run('createChain', library, state, messages),
        rustCreateChain(state, messages.map((trytes) => ({ trytes }))),
      ]);
      assertLinked(created.map((m) => ({ ...m, index: m.before.index })), context);
      assertSameChain(rust, created, library, state, context);
      const parsed = await rustReads(created, state, context);
      parsed.forEach((p, i) => {
        assert.equal(p.trytes, messages[i], `${context}: Rust reads message ${i}`);
        assert.equal(p.nextRoot, created[i].nextRoot, `${context}: Rust reads next root ${i}`);
      });
    });
  }

  it('a Rust channel with 4 leaves per tree crosses trees like the original', async () => {
    const state = channel(random.pick(['public', 'private', 'restricted']), random.between(1, 3), { start: random.between(0, 100), count: 4, nextCount: 4, index: random.below(4) });
    const context = `${describeState(state)} (${random.replay})`;
    const messages = Array.from({ length: 9 }, () => random.trytes(random.between(1, 300)));
    const [rust, original] = await Promise.all([
      rustCreateChain(state, messages.map((trytes) => ({ trytes }))),
      pool.run('createChain', ORIGINAL, state, messages),
    ]);
    assertSameChain(rust, original.created, ORIGINAL, state, context);
    await referencesRead(rust, state, messages, context);
  });

  it('a Rust channel whose next tree has another size stays linked (the references do not)', async () => {
    // The references advance start by nextCount and keep count, so their next
    // message is not under the root they announced; mam-lib follows the announcement.
    const state = channel('private', 1, { count: 2, nextCount: 4 });
    const context = `${describeState(state)} (${random.replay})`;
    const messages = Array.from({ length: 7 }, () => random.trytes(20));
    const rust = await rustCreateChain(state, messages.map((trytes) => ({ trytes })));
    let position = state;
    rust.forEach((r, i) => {
      const { start, count, nextCount, index } = r.channel;
      const expected = positionAfter(position);
      assert.deepEqual({ start, count, nextCount, index }, expected, `${context}: position after message ${i}`);
      position = { ...position, ...expected };
    });
    assertLinked(rust.map((r, i) => ({ ...r, index: i === 2 || i === 6 ? 0 : 1 })), context);
    await referencesRead(rust, state, messages, context);
  });

  it('text messages are UTF-8 bytes, two trytes per byte (asciiToTrytes for ASCII)', async () => {
    const state = channel('restricted', 2);
    const context = `${describeState(state)} (${random.replay})`;
    const texts = [dataMessage(), '{"type":"KEY_ROTATION","keys":{}}', 'Zählerstand 4532,187 kWh — € ✓', '', 'x'];
    const rust = await rustCreateChain(state, texts.map((message) => ({ message })));
    const messages = texts.map(textTrytes);
    await referencesRead(rust, state, messages, context);
    const parsed = await rustReads(rust, state, context);
    parsed.forEach((p, i) => {
      assert.equal(p.trytes, messages[i], `${context}: trytes of text ${i}`);
      assert.equal(p.message, texts[i], `${context}: text ${i}`);
    });
    // The flag form, and trytes that are no text.
    const [one] = await mamLines(['create', '--seed', random.seed(), '--message', texts[2]]);
    const [read] = await mamLines(['parse', '--root', one.root, '--payload', one.payload]);
    assert.equal(read.message, texts[2]);
    for (const trytes of ['A', 'ZZ', textTrytes('ok').slice(0, 3)]) {
      const [made] = await mamLines(['create', '--seed', random.seed(), '--trytes', trytes]);
      const [back] = await mamLines(['parse', '--root', made.root, '--payload', made.payload]);
      assert.equal(back.trytes, trytes);
      assert.equal(back.message, expectedText(trytes), `message of trytes ${trytes}`);
      assert.equal(back.message, null, `trytes ${trytes} are no text`);
    }
  });
});
