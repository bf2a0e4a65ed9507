// The whole system for a browser test, each part a real child process: a
// tangle-node on a free loopback port, a socat pseudo-terminal pair as the P1
// cable, the pi-reader daemon reading one end and `pi-reader simulate` writing
// DSMR 5 telegrams to the other. Logs go to the scratch directory.
//
// The release binaries come from target/release (scripts/test-browser.sh
// builds them; RELEASE_DIR overrides). Everything is stopped by stop(), and
// also when the node process exits, so a failed test leaves nothing running.
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RELEASE_DIR = process.env.RELEASE_DIR ?? path.join(REPO, 'target/release');
const BIN = {
  node: path.join(RELEASE_DIR, 'tangle-node'),
  reader: path.join(RELEASE_DIR, 'pi-reader'),
  probe: path.join(RELEASE_DIR, 'provider-probe'),
};

/** What tangle-node prints on stdout once it accepts connections. */
const LISTENING = /^tangle-node listening on (http:\/\/[0-9.]+:[0-9]+)$/m;
/** What the daemon logs once it runs. */
const READER_RUNNING = 'pi-reader running';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

/** Every system started and not yet stopped, for the exit handler. */
const running = new Set();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A synchronous kill: 'exit' handlers cannot wait.
  process.on('exit', () => {
    for (const system of running) system.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const system of running) system.killNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Polls `check` (sync or async; a truthy result ends the wait) every 100 ms
 * until `timeoutMs`; throws with `what` and `hint()` when time runs out.
 */
export async function waitFor(what, check, { timeoutMs = START_TIMEOUT_MS, hint } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() >= deadline) {
      const extra = hint ? `\n${await hint()}` : '';
      throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${extra}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The last lines of a log file, for error messages. */
async function tail(logPath, lines = 30) {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  return `--- ${logPath} (last ${lines} lines) ---\n${text.split('\n').slice(-lines).join('\n')}`;
}

/** A child process with stdout and stderr appended to `logPath`. */
class Child {
  constructor(name, command, args, logPath) {
    if (path.isAbsolute(command) && !existsSync(command)) {
      throw new Error(
        `${command} is missing: build it with ` +
          '`cargo build --release -p tangle-node -p pi-reader -p test-support --bins`',
      );
    }
    this.name = name;
    this.logPath = logPath;
    this.log = createWriteStream(logPath, { flags: 'a' });
    this.process = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info' },
    });
    this.exited = null;
    this.exitPromise = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve(this.exited);
      });
      this.process.on('error', (error) => {
        this.exited = { code: null, signal: null, error };
        resolve(this.exited);
      });
    });
    this.process.stdout.pipe(this.log, { end: false });
    this.process.stderr.pipe(this.log, { end: false });
  }

  /** Throws with the log when the process has ended. */
  async assertRunning() {
    if (this.exited) {
      const { code, signal, error } = this.exited;
      const how = error ? error.message : `exit code ${code}, signal ${signal}`;
      throw new Error(`${this.name} stopped (${how})\n${await tail(this.logPath)}`);
    }
  }

  /** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves once it ended. */
  async stop() {
    if (!this.exited) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exitPromise;
      clearTimeout(timer);
    }
    await new Promise((resolve) => this.log.end(resolve));
  }

  /** SIGKILL now, without waiting (for the process exit handler). */
  killNow() {
    if (!this.exited) this.process.kill('SIGKILL');
  }
}

/** Runs a command to its end; its stdout, or an error with its stderr. */
async function runTool(command, args) {
  try {
    const { stdout } = await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const said = (error.stderr ?? '').trim() || error.message;
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed: ${said}`);
  }
}

/** Waits until `child`'s log matches `pattern`; returns the match. */
async function waitForLog(child, what, pattern) {
  return waitFor(
    what,
    async () => {
      await child.assertRunning();
      const text = await readFile(child.logPath, 'utf8').catch(() => '');
      return typeof pattern === 'string' ? text.includes(pattern) : text.match(pattern);
    },
    { hint: () => tail(child.logPath) },
  );
}

/**
 * Starts the node, the P1 cable, the Pi reader and the simulated meter, with
 * logs and state in `scratchDir`; resolves once the reader runs. The node and
 * the reader's proof of work use weight `mwm`; `readerArgs` go to
 * `pi-reader run` as well (e.g. `['--max-delay', '2s', '--poll-interval', '1s']`).
 *
 * Returns `{ nodeUrl, deviceAddress, pairingSecret, info(), probe(args),
 * stop() }`: `info()` is `pi-reader info --json` of the running device,
 * `probe(args)` runs `provider-probe ...args` and returns its JSON (throwing
 * with its message when it fails), `stop()` ends every process.
 */
export async function startSystem({ mwm = 3, scratchDir, readerArgs = [] }) {
  if (!scratchDir) throw new Error('startSystem needs a scratchDir for logs and state');
  await mkdir(scratchDir, { recursive: true });
  installExitHook();
  const children = [];
  const system = {
    killNow: () => children.forEach((child) => child.killNow()),
  };
  running.add(system);
  const start = (name, command, args, log) => {
    const child = new Child(name, command, args, path.join(scratchDir, log));
    children.push(child);
    return child;
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The reader and the meter first: the node and the cable outlive them.
    for (const child of [...children].reverse()) await child.stop();
    running.delete(system);
  };

  try {
    const node = start('tangle-node', BIN.node, [
      '--listen', '127.0.0.1:0',
      '--data-dir', path.join(scratchDir, 'tangle'),
      '--mwm', String(mwm),
    ], 'node.log');
    const [, nodeUrl] = await waitForLog(node, 'tangle-node listening', LISTENING);

    // The meter's end and the reader's end of a virtual P1 cable.
    const meterEnd = path.join(scratchDir, 'p1-meter');
    const portEnd = path.join(scratchDir, 'p1-port');
    const cable = start('socat (P1 cable)', 'socat', [
      `pty,raw,echo=0,link=${meterEnd}`,
      `pty,raw,echo=0,link=${portEnd}`,
    ], 'socat.log');
    await waitFor(
      "socat's pseudo-terminals",
      async () => {
        await cable.assertRunning();
        return existsSync(meterEnd) && existsSync(portEnd);
      },
      { hint: () => tail(cable.logPath) },
    );

    // The identity is made before the daemon runs, so the two never race
    // to create it (as scripts/run-system.sh does).
    const state = path.join(scratchDir, 'pi-reader.sqlite');
    const info = async () => JSON.parse(await runTool(BIN.reader, ['--state', state, 'info', '--json']));
    const identity = await info();

    const reader = start('pi-reader', BIN.reader, [
      '--state', state, 'run',
      '--node', nodeUrl,
      '--serial-port', portEnd,
      '--mwm', String(mwm),
      ...readerArgs,
    ], 'pi-reader.log');
    await waitForLog(reader, 'pi-reader running', READER_RUNNING);
    start('meter (simulate)', BIN.reader, ['simulate', '--quiet', '--output', meterEnd], 'meter.log');

    const probe = async (args) => {
      const [command] = args;
      const needsNode = ['keys', 'follow'].includes(command) && !args.includes('--node');
      const full = needsNode ? [...args, '--node', nodeUrl] : args;
      return JSON.parse(await runTool(BIN.probe, full));
    };
    return {
      nodeUrl,
      deviceAddress: identity.address,
      pairingSecret: identity.pairing_secret,
      info,
      probe,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
