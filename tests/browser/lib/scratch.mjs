// Scratch directories of the browser tests: fresh ones under SCRATCH_DIR
// (scripts/test-browser.sh sets target/test-browser), kept after the run so
// logs and state can be read after a failure.
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_BASE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../target/test-browser',
);

/** A new empty directory named `<prefix>-XXXXXX` under SCRATCH_DIR. */
export async function scratchDir(prefix) {
  const base = process.env.SCRATCH_DIR ?? DEFAULT_BASE;
  await mkdir(base, { recursive: true });
  return mkdtemp(path.join(base, `${prefix}-`));
}
