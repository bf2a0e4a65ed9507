// What the Rust `mam` tool does with bad input: a non-zero exit and one line
// `error: ...` on stderr (exit 1), or exit 2 for usage errors; never a message.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { ReferencePool } from '../lib/pool.mjs';
import { ORIGINAL } from '../lib/labels.mjs';
import { randomFor } from '../lib/live.mjs';
import { runMam, mamLines } from '../lib/mam-cli.mjs';

const random = randomFor('cli-errors');
const pool = new ReferencePool(1);
after(() => pool.close());

/** Exit 1, nothing on stdout, exactly one `error: ...` line on stderr. */
async function assertFails(args, input = '') {
  const { code, stdout, stderr } = await runMam(args, input);
  const what = `mam ${args[0]} ${args.slice(1).map((a) => (a.length > 16 ? `${a.slice(0, 8)}…` : a)).join(' ')} (${random.replay})`;
  assert.equal(code, 1, `${what}: exit code (stderr: ${stderr.trim()})`);
  assert.equal(stdout, '', `${what}: stdout`);
  assert.match(stderr, /^error: \S[^\n]*\n?$/, `${what}: stderr must be one "error: ..." line, was ${JSON.stringify(stderr)}`);
}

/** Exit 2 (usage), an `error: ...` first line. */
async function assertUsageError(args) {
  const { code, stdout, stderr } = await runMam(args);
  assert.equal(code, 2, `mam ${args.join(' ')}: exit code (stderr: ${stderr.trim()})`);
  assert.equal(stdout, '');
  assert.match(stderr, /^error: \S/);
}

const swapTryte = (trytes, at) => `${trytes.slice(0, at)}${trytes[at] === 'A' ? 'B' : 'A'}${trytes.slice(at + 1)}`;

describe(`mam CLI errors (${random.replay})`, { concurrency: true }, () => {
  const seed = random.seed();
  const sideKey = random.trytes(81);
  let restricted;
  let publicMessage;
  let originalMessage;

  before(async () => {
    [[restricted], [publicMessage], originalMessage] = await Promise.all([
      mamLines(['create', '--seed', seed, '--mode', 'restricted', '--side-key', sideKey, '--security', '1', '--trytes', random.trytes(300)]),
      mamLines(['create', '--seed', random.seed(), '--trytes', random.trytes(2000)]),
      pool.run('createChain', ORIGINAL, { seed: random.seed(), mode: 'public', sideKey: null, security: 2, start: 0, count: 1, nextCount: 1, index: 0 }, [random.trytes(100)])
        .then((r) => r.created[0]),
    ]);
    // The untouched payloads parse, so the failures below are the alterations'.
    await mamLines(['parse', '--root', restricted.root, '--side-key', sideKey, '--payload', restricted.payload]);
    await mamLines(['parse', '--root', publicMessage.root, '--payload', publicMessage.payload]);
    await mamLines(['parse', '--root', originalMessage.root, '--payload', originalMessage.payload]);
  });

  it('rejects tampered payloads', async () => {
    for (const { root, payload } of [publicMessage, originalMessage]) {
      for (const at of [0, 30, 200, Math.floor(payload.length / 2), payload.length - 30]) {
        await assertFails(['parse', '--root', root, '--payload', swapTryte(payload, at)]);
      }
    }
    await assertFails(['parse', '--root', restricted.root, '--side-key', sideKey, '--payload', swapTryte(restricted.payload, 500)]);
  });

  it('rejects a payload under the wrong root', async () => {
    await assertFails(['parse', '--root', publicMessage.nextRoot, '--payload', publicMessage.payload]);
    await assertFails(['parse', '--root', swapTryte(originalMessage.root, 40), '--payload', originalMessage.payload]);
  });

  it('rejects a restricted payload with the wrong side key or none', async () => {
    await assertFails(['parse', '--root', restricted.root, '--side-key', swapTryte(sideKey, 0), '--payload', restricted.payload]);
    await assertFails(['parse', '--root', restricted.root, '--side-key', sideKey.slice(0, 40), '--payload', restricted.payload]);
    await assertFails(['parse', '--root', restricted.root, '--payload', restricted.payload]);
  });

  it('rejects truncated payloads', async () => {
    for (const keep of [0, 1, 10, 100, Math.floor(publicMessage.payload.length / 2), publicMessage.payload.length - 20]) {
      await assertFails(['parse', '--root', publicMessage.root, '--payload', publicMessage.payload.slice(0, keep)]);
    }
  });

  it('rejects invalid characters and lengths', async () => {
    const { root, payload } = publicMessage;
    await assertFails(['parse', '--root', root, '--payload', `${payload.slice(0, 100)}a${payload.slice(101)}`]);
    await assertFails(['parse', '--root', root, '--payload', `${payload} `]);
    await assertFails(['parse', '--root', root.toLowerCase(), '--payload', payload]);
    await assertFails(['parse', '--root', root.slice(0, 80), '--payload', payload]);
    await assertFails(['parse', '--root', `${root}A`, '--payload', payload]);
    await assertFails(['parse', '--root', root, '--side-key', 'KEY!', '--payload', payload]);
    await assertFails(['create', '--seed', seed.toLowerCase(), '--trytes', 'A']);
    await assertFails(['create', '--seed', seed.slice(0, 80), '--trytes', 'A']);
    await assertFails(['create', '--seed', seed, '--trytes', 'ABc']);
    await assertFails(['create', '--seed', seed, '--mode', 'restricted', '--side-key', random.trytes(82), '--trytes', 'A']);
    await assertFails(['address', '--seed', `${seed}9`]);
    await assertFails(['address', '--root', 'ROOT', '--mode', 'private']);
  });

  it('rejects impossible channel settings', async () => {
    await assertFails(['create', '--seed', seed, '--security', '4', '--trytes', 'A']);
    await assertFails(['create', '--seed', seed, '--security', '0', '--trytes', 'A']);
    await assertFails(['create', '--seed', seed, '--mode', 'secret', '--trytes', 'A']);
    await assertFails(['create', '--seed', seed, '--mode', 'restricted', '--trytes', 'A']);
    await assertFails(['create', '--seed', seed, '--mode', 'public', '--side-key', sideKey, '--trytes', 'A']);
    await assertFails(['create', '--seed', seed, '--count', '2', '--index', '2', '--trytes', 'A']);
    await assertFails(['create', '--seed', seed, '--count', '0', '--trytes', 'A']);
    await assertFails(['address', '--seed', seed, '--security', '5']);
  });

  it('parse --jsonl answers every line, marks the failing ones, and exits 1 at the end', async () => {
    const good = { payload: publicMessage.payload, root: publicMessage.root };
    const lines = [good, { ...good, payload: swapTryte(good.payload, 300) }, { payload: restricted.payload, root: restricted.root, sideKey }, { ...good, root: publicMessage.nextRoot }, good];
    const { code, lines: out, stderr } = await runMam(['parse', '--jsonl'], lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    assert.equal(code, 1, `exit code (stderr ${stderr.trim()})`);
    assert.match(stderr, /^error: \S[^\n]*\n?$/);
    assert.equal(out.length, lines.length);
    assert.deepEqual(out.map((l) => typeof l.error === 'string' && l.error.length > 0), [false, true, false, true, false]);
    assert.equal(out[0].nextRoot, publicMessage.nextRoot);
    assert.equal(out[2].nextRoot, restricted.nextRoot);
    assert.equal(out[4].nextRoot, publicMessage.nextRoot);
  });

  it('reports usage errors with exit 2', async () => {
    await assertUsageError(['frobnicate']);
    await assertUsageError(['create', '--trytes', 'A']);
    await assertUsageError(['create', '--seed', seed, '--message', 'a', '--trytes', 'A']);
    await assertUsageError(['parse', '--root', publicMessage.root, '--payload', publicMessage.payload, '--no-such-flag']);
    await assertUsageError(['create', '--seed', seed, '--start', 'minus-one', '--trytes', 'A']);
  });
});
