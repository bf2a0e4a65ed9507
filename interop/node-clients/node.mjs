// What every test here shares: the node under test (from the environment),
// the legacy libraries, and small helpers. The libraries resolve from
// interop/node_modules (this folder is inside interop/).

import { createRequire } from 'node:module';
import { randomInt } from 'node:crypto';

const require = createRequire(import.meta.url);

export const core = require('@iota/core');
export const converter = require('@iota/converter');
export const transaction = require('@iota/transaction');
export const transactionConverter = require('@iota/transaction-converter');
export const IOTA = require('iota.lib.js');
export const mam = require('@iota/mam.js');

const url = process.env.TANGLE_NODE_URL;
if (!url) {
  throw new Error(
    'TANGLE_NODE_URL is not set: run scripts/test-node-interop.sh, which starts tangle-node and sets it',
  );
}

/** The node under test, e.g. http://127.0.0.1:14265. */
export const NODE_URL = url;
/** The minimum weight magnitude the node was started with. */
export const MWM = Number(process.env.TANGLE_NODE_MWM ?? '5');
/** Depth for getTransactionsToApprove, as the wallets used. */
export const DEPTH = 3;

const ALPHABET = '9ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Random trytes (a fresh seed or address per test keeps tests apart). */
export function randomTrytes(length) {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(27)];
  return out;
}

/** Trytes that are a valid zero-value address (last trit 0 is not needed). */
export const randomAddress = () => randomTrytes(81);

/** Sends a raw command, for shapes the libraries hide. */
export async function command(body) {
  const response = await fetch(NODE_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-IOTA-API-Version': '1' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** The transaction's hash meets `mwm`, by @iota/transaction's own check. */
export function meetsWeight(trytes, mwm = MWM) {
  return transaction.isTransaction(converter.trytesToTrits(trytes), mwm);
}
