// Names and versions of the reference libraries, read from their package.json
// files (cheap: loads none of the libraries, whose wasm runtime installs
// process-wide handlers).

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const version = (name) => require(`${name}/package.json`).version;

/** The original MAM (the Rust library compiled into mam.client.js). */
export const ORIGINAL = `@iota/mam ${version('@iota/mam')}`;
/** The pure JavaScript MAM. */
export const MAMJS = `@iota/mam.js ${version('@iota/mam.js')}`;
export const CORE = `@iota/core ${version('@iota/core')}`;
export const CURL = `@iota/curl ${version('@iota/curl')}`;
export const KERL = `@iota/kerl ${version('@iota/kerl')}`;
export const CONVERTER = `@iota/converter ${version('@iota/converter')}`;

export const MAM_LIBRARIES = [ORIGINAL, MAMJS];
