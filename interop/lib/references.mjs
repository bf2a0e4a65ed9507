// Uniform wrappers around IOTA's reference JavaScript libraries.
//
// Both MAM references take the same channel state, written here as
//   { seed, mode, sideKey, security, start, count, nextCount, index }
// (sideKey only for restricted mode, as given, before padding with 9), and give
//   { root, address, payload, nextRoot, after }
// where `after` is the library's own channel state after the message.

import { createRequire } from 'node:module';

import { ORIGINAL, MAMJS } from './labels.mjs';

export { ORIGINAL, MAMJS, MAM_LIBRARIES, CORE, CURL, KERL, CONVERTER } from './labels.mjs';

const require = createRequire(import.meta.url);

const OriginalMam = require('@iota/mam/lib/mam.client.js');
const MamJs = require('@iota/mam.js');
const core = require('@iota/core');
const converter = require('@iota/converter');
const Curl = require('@iota/curl').default;
const Kerl = require('@iota/kerl').default;

const isPowerOfTwo = (n) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/**
 * The original panics inside its wasm module on Merkle trees whose leaf count is
 * not a power of two, and a panic leaves the module unusable for the rest of
 * the process; with index >= count it writes a payload nobody can verify. So
 * those states are refused before they reach it.
 */
function assertOriginalCanCreate(state) {
  if (!isPowerOfTwo(state.count) || !isPowerOfTwo(state.nextCount)) {
    throw new Error(`${ORIGINAL} is not run with count ${state.count} / nextCount ${state.nextCount}: it panics or builds an unverifiable tree unless both are powers of two`);
  }
  if (state.index >= state.count) {
    throw new Error(`${ORIGINAL} is not run with index ${state.index} >= count ${state.count}`);
  }
}

/** The original throws bare numbers (wasm pointers) on failure; turn them into Errors. */
function originalError(e) {
  return e instanceof Error ? e : new Error(`${ORIGINAL} rejected the input (wasm error ${String(e)})`);
}

class OriginalChannel {
  constructor(state) {
    assertOriginalCanCreate(state);
    let s = OriginalMam.init(undefined, state.seed, state.security);
    if (state.mode !== 'public') s = OriginalMam.changeMode(s, state.mode, state.mode === 'restricted' ? state.sideKey : null);
    Object.assign(s.channel, { start: state.start, count: state.count, next_count: state.nextCount, index: state.index });
    this.state = s;
  }

  root() {
    try {
      return OriginalMam.getRoot(this.state);
    } catch (e) {
      throw originalError(e);
    }
  }

  create(message) {
    assertOriginalCanCreate(this.after());
    let r;
    try {
      r = OriginalMam.create(this.state, message);
    } catch (e) {
      throw originalError(e);
    }
    this.state = r.state;
    return { root: r.root, address: r.address, payload: r.payload, nextRoot: r.state.channel.next_root, after: this.after() };
  }

  after() {
    const c = this.state.channel;
    return { start: c.start, count: c.count, nextCount: c.next_count, index: c.index };
  }
}

class MamJsChannel {
  constructor(state) {
    this.state = MamJs.createChannel(state.seed, state.security, state.mode, state.mode === 'restricted' ? state.sideKey : undefined);
    Object.assign(this.state, { start: state.start, count: state.count, nextCount: state.nextCount, index: state.index });
  }

  root() {
    return MamJs.channelRoot(this.state);
  }

  create(message) {
    const r = MamJs.createMessage(this.state, message);
    return { root: r.root, address: r.address, payload: r.payload, nextRoot: this.state.nextRoot, after: this.after() };
  }

  after() {
    const c = this.state;
    return { start: c.start, count: c.count, nextCount: c.nextCount, index: c.index };
  }
}

/** A channel of `library` (ORIGINAL or MAMJS) positioned at `state`; `create` advances it. */
export function openChannel(library, state) {
  if (library === ORIGINAL) return new OriginalChannel(state);
  if (library === MAMJS) return new MamJsChannel(state);
  throw new Error(`unknown MAM library ${library}`);
}

/** One message from a channel positioned at `state`. */
export function createMessage(library, state, message) {
  return openChannel(library, state).create(message);
}

/** Parse with `library`; returns { message, nextRoot } or throws. `sideKey` as given (may be short). */
export function parseMessage(library, payload, root, sideKey) {
  if (library === ORIGINAL) {
    let r;
    try {
      r = OriginalMam.decode(payload, sideKey ?? null, root);
    } catch (e) {
      throw originalError(e);
    }
    return { message: r.payload, nextRoot: r.next_root };
  }
  if (library === MAMJS) {
    // mam.js does not pad a short key itself (it happens to work unpadded, since
    // 9 is the zero tryte and the key is absorbed first); pad as its own channel does.
    const r = MamJs.parseMessage(payload, root, sideKey ? sideKey.padEnd(81, '9') : undefined);
    return { message: r.message, nextRoot: r.nextRoot };
  }
  throw new Error(`unknown MAM library ${library}`);
}

/** Legacy Kerl address, without checksum. */
export function legacyAddress(seed, index, security) {
  return core.generateAddress(seed, index, security, false);
}

export const asciiToTrytes = converter.asciiToTrytes;
export const trytesToAscii = converter.trytesToAscii;

/**
 * A trit sequence as { trytes, length }: the trytes of the trits padded with
 * zero trits to a multiple of three, and the number of trits that count.
 */
export function tritsToRecord(t) {
  const padded = new Int8Array(Math.ceil(t.length / 3) * 3);
  padded.set(t);
  return { trytes: converter.trytes(padded), length: t.length };
}

/**
 * Run a sponge over a list of operations:
 *   { absorb: Int8Array } | { squeeze: number }
 * and return the squeezed outputs in order.
 */
export function runSponge(kind, rounds, operations) {
  const sponge = kind === 'kerl' ? new Kerl() : new Curl(rounds);
  const outputs = [];
  for (const op of operations) {
    if (op.absorb) {
      sponge.absorb(op.absorb, 0, op.absorb.length);
    } else {
      const out = new Int8Array(op.squeeze);
      sponge.squeeze(out, 0, out.length);
      outputs.push(out);
    }
  }
  return outputs;
}
