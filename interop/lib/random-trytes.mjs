// Tryte strings from a seeded generator, so that a failing run can be replayed.
//
// The stream is SHA-256 in counter mode over a text seed. It is not meant to be
// secret, only reproducible: the vectors use fixed seeds, the live check a fresh
// one per run (printed, and replayable with INTEROP_RANDOM_SEED).

import { createHash, randomBytes } from 'node:crypto';

export const TRYTE_ALPHABET = '9ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class TryteStream {
  /** @param {string} seedText any text; equal texts give equal streams */
  constructor(seedText) {
    this.seedText = seedText;
    this.counter = 0;
    this.buffer = Buffer.alloc(0);
  }

  /** A fresh stream from the operating system's generator (its seed text is printable). */
  static fresh() {
    return new TryteStream(randomBytes(16).toString('hex'));
  }

  #byte() {
    if (this.buffer.length === 0) {
      this.buffer = createHash('sha256').update(`${this.seedText}:${this.counter++}`).digest();
    }
    const b = this.buffer[0];
    this.buffer = this.buffer.subarray(1);
    return b;
  }

  /** Uniform integer in [0, n), n <= 256. */
  below(n) {
    const limit = 256 - (256 % n);
    for (;;) {
      const b = this.#byte();
      if (b < limit) return b % n;
    }
  }

  /** Uniform integer in [lo, hi]. */
  between(lo, hi) {
    const span = hi - lo + 1;
    if (span <= 256) return lo + this.below(span);
    // Enough for the ranges used here (message sizes, indexes).
    let v = 0;
    for (let i = 0; i < 4; i++) v = v * 256 + this.#byte();
    return lo + (v % span);
  }

  trytes(length) {
    let out = '';
    for (let i = 0; i < length; i++) out += TRYTE_ALPHABET[this.below(27)];
    return out;
  }

  /** Trits in {-1, 0, 1}. */
  trits(length) {
    const out = new Int8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.below(3) - 1;
    return out;
  }

  /** 81 trytes, like an IOTA seed. */
  seed() {
    return this.trytes(81);
  }

  pick(list) {
    return list[this.below(list.length)];
  }
}
