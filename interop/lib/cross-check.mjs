// One message, three implementations: the Rust `mam` tool creates it and both
// reference libraries parse it; both references create it and Rust parses
// theirs; roots, addresses, next roots and channel positions must agree.

import assert from 'node:assert/strict';

import { ORIGINAL, MAMJS, MAM_LIBRARIES } from './labels.mjs';
import { rustCreate, rustParseMany, mamLines } from './mam-cli.mjs';
import { describeState, expectedText, positionAfter, isPowerOfTwo } from './live.mjs';

/** Which references create at this state (the others refuse it, see README.md). */
export function creatorsFor(state, message) {
  return MAM_LIBRARIES.filter((library) => {
    if (library === MAMJS && message === '') return false; // "The message must be in trytes"
    if (library === ORIGINAL && !(isPowerOfTwo(state.count) && isPowerOfTwo(state.nextCount))) return false;
    return true;
  });
}

const positionOf = (c) => ({ start: c.start, count: c.count, nextCount: c.nextCount, index: c.index });

/**
 * Checks one message both ways. `replay` names the random seed for failure messages.
 * Resolves to the Rust output (for chaining checks).
 */
export async function crossCheckMessage(pool, state, message, replay) {
  const context = `${describeState(state)}, message ${message.length} trytes (${replay})`;
  const creators = creatorsFor(state, message);
  const [rust, ...references] = await Promise.all([
    rustCreate(state, message),
    ...creators.map(async (library) => {
      const { channelRoot, created: [made] } = await pool.run('createChain', library, state, [message]);
      return { library, channelRoot, ...made };
    }),
  ]);

  for (const reference of references) {
    const who = `${context}: Rust vs ${reference.library}`;
    assert.equal(rust.root, reference.root, `${who}: root`);
    assert.equal(rust.root, reference.channelRoot, `${who}: channel root`);
    assert.equal(rust.address, reference.address, `${who}: address`);
    assert.equal(rust.nextRoot, reference.nextRoot, `${who}: next root`);
    if (state.count === state.nextCount) {
      assert.deepEqual(positionOf(rust.channel), reference.after, `${who}: channel position after the message`);
    }
  }
  assert.deepEqual(positionOf(rust.channel), positionAfter(state), `${context}: Rust channel position after the message`);
  assert.equal(rust.channel.mode, state.mode, `${context}: channel mode`);
  assert.equal(rust.channel.security, state.security, `${context}: channel security`);
  assert.equal(rust.channel.sideKey, state.mode === 'restricted' ? state.sideKey.padEnd(81, '9') : null, `${context}: channel side key`);

  const sideKey = state.mode === 'restricted' ? { sideKey: state.sideKey } : {};
  const [, rustParsed, [addressLine]] = await Promise.all([
    // Both references parse the Rust payload.
    Promise.all(MAM_LIBRARIES.map(async (library) => {
      const parsed = await pool.run('parseMessage', library, rust.payload, rust.root, state.sideKey)
        .catch((e) => assert.fail(`${context}: ${library} rejects the Rust payload: ${e.message}`));
      assert.equal(parsed.message, message, `${context}: message as ${library} reads the Rust payload`);
      assert.equal(parsed.nextRoot, rust.nextRoot, `${context}: next root as ${library} reads the Rust payload`);
    })),
    // Rust parses every reference payload, and its own.
    rustParseMany([rust, ...references].map((m) => ({ payload: m.payload, root: m.root, ...sideKey }))),
    mamLines(['address', '--root', rust.root, '--mode', state.mode]),
  ]);

  assert.equal(rustParsed.code, 0, `${context}: mam parse exit code (stderr: ${rustParsed.stderr.trim()}; lines: ${JSON.stringify(rustParsed.lines.filter((l) => l.error))})`);
  const sources = ['Rust', ...references.map((r) => r.library)];
  rustParsed.lines.forEach((line, i) => {
    const who = `${context}: Rust parsing the payload of ${sources[i]}`;
    assert.equal(line.trytes, message, `${who}: trytes`);
    assert.equal(line.message, expectedText(message), `${who}: message text`);
    assert.equal(line.nextRoot, rust.nextRoot, `${who}: next root`);
  });
  assert.equal(rustParsed.lines.length, sources.length, `${context}: mam parse output lines`);
  assert.equal(addressLine.address, rust.address, `${context}: mam address --root`);
  return rust;
}
