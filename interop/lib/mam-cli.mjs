// Drives the Rust `mam` command-line tool (mam-lib/src/bin/mam) for the live
// cross-check. The binary comes from MAM_BIN (scripts/test-interop.sh builds it).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Path of the `mam` binary, or throws with what to do. */
export function mamBinary() {
  const bin = process.env.MAM_BIN;
  if (!bin) throw new Error('MAM_BIN is not set: run scripts/test-interop.sh, or build with `cargo build --release -p mam-cli --bin mam` and set MAM_BIN=target/release/mam');
  const resolved = path.resolve(bin);
  if (!existsSync(resolved)) throw new Error(`MAM_BIN=${bin}: no such file (build it with \`cargo build --release -p mam-cli --bin mam\`)`);
  return resolved;
}

/**
 * Runs `mam ...args`, feeding `input` (string) on stdin.
 * Resolves to { code, stdout, stderr, lines } where lines are the stdout lines parsed as JSON.
 */
export function runMam(args, input = '') {
  const bin = mamBinary();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      let lines;
      try {
        lines = stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
      } catch (e) {
        reject(new Error(`mam ${args[0]}: stdout is not JSON lines (${e.message}):\n${stdout.slice(0, 500)}`));
        return;
      }
      resolve({ code, stdout, stderr, lines });
    });
    child.stdin.on('error', () => {}); // the tool may exit before reading all input
    child.stdin.end(input);
  });
}

/** Runs `mam`, requires exit 0, returns the parsed stdout lines. */
export async function mamLines(args, input = '') {
  const result = await runMam(args, input);
  if (result.code !== 0) {
    throw new Error(`mam ${args.map(shorten).join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.lines;
}

const shorten = (a) => (a.length > 24 ? `${a.slice(0, 12)}…(${a.length})` : a);

/** Command-line flags for a channel state ({seed, mode, sideKey, security, start, count, nextCount, index}). */
export function channelFlags(state) {
  const flags = ['--seed', state.seed, '--mode', state.mode, '--security', String(state.security),
    '--start', String(state.start), '--count', String(state.count), '--next-count', String(state.nextCount),
    '--index', String(state.index)];
  if (state.mode === 'restricted') flags.push('--side-key', state.sideKey);
  return flags;
}

/** `mam create --trytes` of one message. */
export async function rustCreate(state, messageTrytes) {
  const lines = await mamLines(['create', ...channelFlags(state), '--trytes', messageTrytes]);
  if (lines.length !== 1) throw new Error(`mam create printed ${lines.length} lines`);
  return lines[0];
}

/** `mam create --jsonl` of consecutive messages: items are {trytes} or {message}. */
export function rustCreateChain(state, items) {
  return mamLines(['create', ...channelFlags(state), '--jsonl'], items.map((i) => `${JSON.stringify(i)}\n`).join(''));
}

/** `mam parse --jsonl`: items are {payload, root, sideKey?}; resolves to the output lines (some may be {error}). */
export async function rustParseMany(items) {
  const result = await runMam(['parse', '--jsonl'], items.map((i) => `${JSON.stringify(i)}\n`).join(''));
  return result;
}
