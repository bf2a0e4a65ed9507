// Worker thread side of lib/pool.mjs: runs reference-library jobs off the main
// thread, so the slow pure-JS MAM can use every core.

import { parentPort } from 'node:worker_threads';
import * as references from './references.mjs';

const jobs = {
  /** Create consecutive messages on one channel; the root is read before the first. */
  createChain(library, state, messages) {
    const channel = references.openChannel(library, state);
    const channelRoot = channel.root();
    const created = messages.map((message) => {
      const before = channel.after();
      const started = performance.now();
      const result = channel.create(message);
      return { ...result, before, milliseconds: Math.round(performance.now() - started) };
    });
    return { channelRoot, created };
  },
  parseMessage: references.parseMessage,
  legacyAddress: references.legacyAddress,
};

// A panic inside the original's wasm module ("abort(...)", or any failure of
// the original, which reports them all as bare numbers) may leave the module
// broken; the pool then replaces this thread so one bad payload cannot fail
// the checks that follow it.
const mayBreakTheOriginal = (job, args, error) => job !== 'legacyAddress'
  && (args[0] === references.ORIGINAL || /abort\(/.test(error));

parentPort.on('message', ({ id, job, args }) => {
  try {
    parentPort.postMessage({ id, ok: true, value: jobs[job](...args) });
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    parentPort.postMessage({ id, ok: false, error, retire: mayBreakTheOriginal(job, args, error) });
  }
});
