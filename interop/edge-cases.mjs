#!/usr/bin/env node
// Re-derives the facts in README.md ("What the references accept") from the
// reference libraries themselves: `node edge-cases.mjs` (about a minute).
//
// Each probe runs in a child process of its own, because a panic inside the
// original's wasm module leaves it broken for the rest of the process.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SEED = 'EDGE9CASES'.padEnd(81, 'Q');
const base = { seed: SEED, mode: 'public', sideKey: null, security: 1, start: 0, count: 1, nextCount: 1, index: 0 };

async function probe(name) {
  const refs = await import('./lib/references.mjs');
  const { ORIGINAL, MAMJS, MAM_LIBRARIES } = refs;
  const attempt = (f) => {
    try {
      return f();
    } catch (e) {
      return { error: e.message };
    }
  };
  const parsesBy = (made, sideKey = null) => Object.fromEntries(MAM_LIBRARIES.map((reader) => {
    const r = attempt(() => refs.parseMessage(reader, made.payload, made.root, sideKey));
    return [reader, r.error ? `rejects (${r.error.slice(0, 60)})` : 'parses'];
  }));
  const create = (library, state, message) => attempt(() => refs.createMessage(library, state, message));

  switch (name) {
    case 'empty message':
      return Object.fromEntries(MAM_LIBRARIES.map((library) => {
        const made = create(library, base, '');
        return [library, made.error ? `refuses: ${made.error}` : { created: true, parsedBy: parsesBy(made) }];
      }));
    case 'roots by count': {
      const rows = {};
      for (const count of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const state = { ...base, count, nextCount: count };
        // getRoot does not panic on odd counts; call the original directly.
        const { createRequire } = await import('node:module');
        const original = createRequire(import.meta.url)('@iota/mam/lib/mam.client.js');
        const s = original.init(undefined, SEED, 1);
        Object.assign(s.channel, { count, next_count: count });
        const originalRoot = original.getRoot(s);
        const mamJsRoot = refs.openChannel(MAMJS, state).root();
        rows[count] = originalRoot === mamJsRoot ? 'same root' : 'roots differ';
      }
      return rows;
    }
    case 'mam.js odd-count leaves': {
      const rows = {};
      for (const count of [3, 5, 6, 7]) {
        for (let index = 0; index < count; index++) {
          const made = create(MAMJS, { ...base, count, nextCount: count, index }, 'ODD');
          const p = parsesBy(made);
          rows[`count ${count} index ${index}`] = Object.values(p).every((v) => v === 'parses') ? 'valid' : `invalid (${Object.values(p).join('; ')})`;
        }
      }
      return rows;
    }
    case 'original odd-count create': {
      // Only the first leaf: a panic here breaks the module for later calls.
      const { createRequire } = await import('node:module');
      const original = createRequire(import.meta.url)('@iota/mam/lib/mam.client.js');
      const s = original.init(undefined, SEED, 1);
      Object.assign(s.channel, { count: 3, next_count: 3, index: 1 });
      const made = attempt(() => original.create(s, 'ODD'));
      return { 'count 3 index 1': made.error ? `throws ${made.error}` : { created: true, parsedBy: parsesBy({ payload: made.payload, root: made.root }) } };
    }
    case 'next count differs': {
      const state = { ...base, count: 2, nextCount: 4, index: 1 };
      return Object.fromEntries(MAM_LIBRARIES.map((library) => {
        const channel = refs.openChannel(library, state);
        const first = channel.create('A');
        const second = channel.create('B');
        return [library, { after: first.after, secondRootIsAnnouncedNextRoot: second.root === first.nextRoot }];
      }));
    }
    case 'side keys': {
      const short = { ...base, mode: 'restricted', sideKey: 'KEY' };
      const padded = { ...short, sideKey: 'KEY'.padEnd(81, '9') };
      const long = { ...short, sideKey: 'K'.repeat(90) };
      const allNines = { ...short, sideKey: '9' };
      return Object.fromEntries(MAM_LIBRARIES.map((library) => [library, {
        shortEqualsPadded: create(library, short, 'A').payload === create(library, padded, 'A').payload,
        longerThan81: create(library, long, 'A').error ? 'refuses' : 'accepts',
        restrictedWithKey9EqualsPrivate: create(library, allNines, 'A').payload === create(library, { ...base, mode: 'private' }, 'A').payload,
      }]));
    }
    case 'private mode with a side key': {
      const { createRequire } = await import('node:module');
      const original = createRequire(import.meta.url)('@iota/mam/lib/mam.client.js');
      const s = original.changeMode(original.init(undefined, SEED, 1), 'private', 'KEY');
      const made = original.create(s, 'A');
      return {
        [ORIGINAL]: { usesTheKey: attempt(() => refs.parseMessage(ORIGINAL, made.payload, made.root, 'KEY')).message === 'A', parsesWithoutKey: attempt(() => refs.parseMessage(ORIGINAL, made.payload, made.root, null)).message === 'A' },
        [MAMJS]: attempt(() => createRequire(import.meta.url)('@iota/mam.js').createChannel(SEED, 1, 'private', 'KEY')).error ?? 'accepts',
      };
    }
    case 'invalid message trytes':
      return Object.fromEntries(MAM_LIBRARIES.map((library) => {
        const made = create(library, base, 'abc');
        return [library, made.error ? `refuses: ${made.error}` : 'accepts lowercase'];
      }));
    case 'index >= count': {
      // lib/references.mjs refuses this state for the original; call it directly.
      const { createRequire } = await import('node:module');
      const original = createRequire(import.meta.url)('@iota/mam/lib/mam.client.js');
      const s = original.init(undefined, SEED, 1);
      Object.assign(s.channel, { count: 2, next_count: 2, index: 2 });
      const made = attempt(() => original.create(s, 'A'));
      const mamJsMade = create(MAMJS, { ...base, count: 2, nextCount: 2, index: 2 }, 'A');
      return {
        [ORIGINAL]: made.error ? `throws ${made.error}` : { payloadTrytes: made.payload.length, indexAfter: s.channel.index, parsedBy: parsesBy(made) },
        [MAMJS]: mamJsMade.error ? `refuses: ${mamJsMade.error}` : { payloadTrytes: mamJsMade.payload.length, indexAfter: mamJsMade.after.index, parsedBy: parsesBy(mamJsMade) },
      };
    }
    case 'padding and trailing data': {
      const rows = {};
      for (const library of MAM_LIBRARIES) {
        for (const n of [1, 5, 41, 122]) {
          const made = create(library, base, 'A'.repeat(n));
          rows[`${library}, ${n}-tryte message`] = `${made.payload.length} trytes`;
        }
        const made = create(library, base, 'A');
        const padded = `${made.payload}${'9'.repeat(2187 - (made.payload.length % 2187))}XYZ`;
        rows[`${library} payload + 9s + junk`] = parsesBy({ payload: padded, root: made.root });
      }
      return rows;
    }
    case 'determinism':
      return Object.fromEntries(MAM_LIBRARIES.map((library) => [library,
        create(library, base, 'SAME').payload === create(library, base, 'SAME').payload ? 'same payload twice' : 'payload differs']));
    case 'failures':
      return Object.fromEntries(MAM_LIBRARIES.map((library) => {
        const made = create(library, base, 'AAAA');
        const tampered = `${made.payload.slice(0, 100)}${made.payload[100] === 'A' ? 'B' : 'A'}${made.payload.slice(101)}`;
        return [library, {
          tampered: attempt(() => refs.parseMessage(library, tampered, made.root, null)).error ?? 'accepted',
          truncated: attempt(() => refs.parseMessage(library, made.payload.slice(0, 1000), made.root, null)).error ?? 'accepted',
        }];
      }));
    default:
      throw new Error(`unknown probe ${name}`);
  }
}

const PROBES = ['empty message', 'roots by count', 'mam.js odd-count leaves', 'original odd-count create', 'next count differs',
  'side keys', 'private mode with a side key', 'invalid message trytes', 'index >= count', 'padding and trailing data', 'determinism', 'failures'];

if (process.argv[2] === '--probe') {
  console.log(JSON.stringify(await probe(process.argv[3])));
} else {
  for (const name of PROBES) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--probe', name], { encoding: 'utf8' });
    const last = child.stdout.trim().split('\n').pop();
    const panics = (child.stderr.match(/panicked at '[^']*'/g) ?? []).join(', ');
    console.log(`\n## ${name}${panics ? `  (original panicked: ${panics})` : ''}`);
    console.log(child.status === 0 ? JSON.stringify(JSON.parse(last), null, 2) : `probe failed (exit ${child.status}): ${child.stderr.trim().split('\n').pop()}`);
  }
}
