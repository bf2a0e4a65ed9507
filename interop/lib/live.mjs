// Shared pieces of the live cross-check (test/*.test.mjs).

import { TryteStream } from './random-trytes.mjs';

/**
 * The random stream of one test file: fresh each run unless INTEROP_RANDOM_SEED
 * is set (every failure message carries the seed text, so a run can be replayed).
 */
export function randomFor(file) {
  const base = process.env.INTEROP_RANDOM_SEED || TryteStream.fresh().seedText;
  const stream = new TryteStream(`${base}:${file}`);
  stream.replay = `INTEROP_RANDOM_SEED=${base}`;
  return stream;
}

/**
 * What `mam parse` reports as "message" for these trytes: the UTF-8 text of
 * the bytes they encode (two trytes per byte), or null when they encode no
 * bytes (odd length, a pair above 255) or the bytes are not UTF-8.
 */
export function expectedText(trytes) {
  if (trytes.length % 2 !== 0) return null;
  const alphabet = '9ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const bytes = [];
  for (let i = 0; i < trytes.length; i += 2) {
    const value = alphabet.indexOf(trytes[i]) + 27 * alphabet.indexOf(trytes[i + 1]);
    if (value > 255) return null;
    bytes.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** Trytes of UTF-8 text, two per byte (asciiToTrytes for ASCII). */
export function textTrytes(text) {
  const alphabet = '9ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) out += alphabet[b % 27] + alphabet[Math.floor(b / 27)];
  return out;
}

/** A short description of a channel state for failure messages. */
export function describeState(state, extra = '') {
  const key = state.mode === 'restricted' ? ` sideKey ${state.sideKey.length} trytes` : '';
  return `${state.mode} security ${state.security}${key} start ${state.start} count ${state.count} nextCount ${state.nextCount} index ${state.index}${extra}`;
}

/** The channel position a message at `state` leaves, following the announced next root. */
export function positionAfter({ start, count, nextCount, index }) {
  return index + 1 === count
    ? { start: start + count, count: nextCount, nextCount, index: 0 }
    : { start, count, nextCount, index: index + 1 };
}

export const isPowerOfTwo = (n) => n > 0 && (n & (n - 1)) === 0;
