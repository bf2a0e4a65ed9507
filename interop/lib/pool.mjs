// A small pool of worker threads running the reference libraries
// (lib/reference-worker.mjs). The reference MAM libraries are synchronous and
// slow (@iota/mam.js spends seconds per message in its nonce search), so they
// are spread over threads while the Rust CLI runs in its own processes.

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

export class ReferencePool {
  /** @param {number} size number of worker threads (default: INTEROP_WORKERS or the number of cores) */
  constructor(size = Number(process.env.INTEROP_WORKERS) || availableParallelism()) {
    this.idle = [];
    this.queue = [];
    this.pending = new Map();
    this.nextId = 0;
    this.workers = [];
    for (let i = 0; i < size; i++) this.#spawn();
  }

  #spawn() {
    const worker = new Worker(new URL('./reference-worker.mjs', import.meta.url));
    worker.on('message', (reply) => this.#settle(worker, reply));
    worker.on('error', (e) => this.#fail(worker, e));
    this.workers.push(worker);
    this.idle.push(worker);
  }

  /** Run `job` (a name exported by reference-worker.mjs) with `args`; rejects with the job's error. */
  run(job, ...args) {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, args, resolve, reject });
      this.#dispatch();
    });
  }

  /** Like run, but resolves to { error } instead of rejecting. */
  async attempt(job, ...args) {
    try {
      return await this.run(job, ...args);
    } catch (e) {
      return { error: e.message };
    }
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  #dispatch() {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop();
      const task = this.queue.shift();
      this.pending.set(worker, task);
      worker.postMessage({ id: task.id, job: task.job, args: task.args });
    }
  }

  #settle(worker, reply) {
    const task = this.pending.get(worker);
    this.pending.delete(worker);
    if (reply.retire) {
      // The original failed in this thread and may be broken: start afresh.
      this.workers = this.workers.filter((w) => w !== worker);
      worker.terminate();
      this.#spawn();
    } else {
      this.idle.push(worker);
    }
    if (reply.ok) task.resolve(reply.value);
    else task.reject(new Error(reply.error));
    this.#dispatch();
  }

  #fail(worker, error) {
    const task = this.pending.get(worker);
    this.pending.delete(worker);
    this.workers = this.workers.filter((w) => w !== worker);
    if (task) task.reject(error);
    if (this.workers.length === 0) {
      for (const t of this.queue.splice(0)) t.reject(new Error('every reference worker died'));
    }
  }
}
