#!/usr/bin/env node
// Writes consent-protocol/tests/vectors/protocol.json, the known answers that
// consent-protocol/tests/protocol_vectors.rs holds `consent_protocol` to: the consent
// protocol's wire format (ARCHITECTURE.md, "Protocol"), computed only with the
// legacy reference packages, never with our code.
//
//   npm run protocol-vectors      (under a second)
//
// - messages: every message type as JSON text (ECMAScript JSON.stringify, then
//   every non-ASCII UTF-16 unit written as \uXXXX) and its trytes from
//   @iota/converter asciiToTrytes, which must equal iota.lib.js toTrytes;
// - signedChallenges: Kerl(challenge ‖ root ‖ secret padded with 9 to 81
//   trytes), 729 trits absorbed and 243 squeezed, by @iota/kerl, which must
//   equal iota.lib.js's Kerl;
// - pairingProofs (protocol v2): claimProof = Kerl(sender ‖ nonce ‖ secret),
//   signedChallenge, and sealedRoot = root ⊞ Kerl(challenge ‖ secret ‖
//   sender), ⊞ adding tryte values mod 27 (9 = 0, A = 1 … Z = 26), all by
//   the same two Kerls and spelled out here, not taken from our code; and
//   the device's replies: challengeProof = Kerl(secret ‖ nonce ‖ challenge),
//   resultProofOk = Kerl(secret ‖ challenge ‖ status) and resultProofNok =
//   Kerl(secret ‖ nonce ‖ status), status the word OK or NOK by
//   asciiToTrytes, padded with 9 to 81;
// - extractJson: messages laid out in 2187-tryte signature fragments the way
//   prepareTransfers does it (1 + floor(length / 2187) fragments, padded with
//   9), some followed by junk, read back with iota.lib.js 0.5.3 extractJson,
//   the legacy reader. (@iota/extract-json is not a dependency here.)
//
// Inputs come from a fixed text seed, so a rerun writes the same bytes; the
// live test (test/protocol.test.mjs) reruns buildProtocolVectors with the
// fixed seed and with a fresh one. See README.md.

import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

import { TryteStream } from './lib/random-trytes.mjs';
import { TELEGRAM } from './lib/dsmr.mjs';
import { CONVERTER, KERL } from './lib/labels.mjs';

const require = createRequire(import.meta.url);
const converter = require('@iota/converter');
const Kerl = require('@iota/kerl').default;
const legacyAscii = require('iota.lib.js/lib/utils/asciiToTrytes.js');
const legacyExtractJson = require('iota.lib.js/lib/utils/extractJson.js');
const LegacyKerl = require('iota.lib.js/lib/crypto/kerl/kerl.js');

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PROTOCOL_VECTORS = path.resolve(HERE, '..', 'consent-protocol', 'tests', 'vectors', 'protocol.json');
export const FIXED_SEED = 'mam-lib vectors: protocol';
const GENERATOR = 'interop/generate-protocol-vectors.mjs';
const LEGACY = `iota.lib.js ${require('iota.lib.js/package.json').version}`;

const FRAGMENT_TRYTES = 2187;
const SECRET_TRYTES = 27;
const NTRU_PUBLIC_KEY_BYTES = 930;

// ---------------------------------------------------------------- encoding

/** The protocol's JSON text: JSON.stringify, non-ASCII UTF-16 units as \uXXXX. */
export function asciiJson(value) {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Trytes of ASCII text by both legacy converters, which must agree. */
function textToTrytes(text) {
  const trytes = converter.asciiToTrytes(text);
  const legacy = legacyAscii.toTrytes(text);
  if (trytes !== legacy) throw new Error(`${CONVERTER} and ${LEGACY} disagree on ${text.slice(0, 40)}…`);
  return trytes;
}

/**
 * Bytes as trytes, two per byte (byte b -> tryte b mod 27, then b div 27): the
 * mapping of asciiToTrytes, which refuses bytes above 127, so it is spelled
 * out here for key and box bytes.
 */
function bytesToTrytes(bytes) {
  const alphabet = '9ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return bytes.map((b) => alphabet[b % 27] + alphabet[Math.floor(b / 27)]).join('');
}

// ---------------------------------------------------------------- Kerl

/** Kerl over the 729 trits of three 81-tryte parts, by both references. */
function kerl243(a, b, c) {
  const input = a + b + c;
  if (input.length !== 243) throw new Error(`Kerl input must be 243 trytes, not ${input.length}`);
  const trits = converter.trits(input);

  const kerl = new Kerl();
  kerl.initialize();
  kerl.absorb(trits, 0, trits.length);
  const out = new Int8Array(243);
  kerl.squeeze(out, 0, out.length);
  const hash = converter.trytes(out);

  const legacy = new LegacyKerl();
  legacy.initialize();
  legacy.absorb(Array.from(trits), 0, trits.length);
  const legacyOut = [];
  legacy.squeeze(legacyOut, 0, 243);
  const legacyHash = converter.trytes(Int8Array.from(legacyOut));
  if (hash !== legacyHash) throw new Error(`${KERL} and ${LEGACY} Kerl disagree for ${a}`);
  return hash;
}

/** The 27-tryte secret padded with 9 to 81, as every Kerl input takes it. */
const padded = (secret) => secret.padEnd(81, '9');

/** Kerl(challenge ‖ root ‖ padded secret): the signed challenge. */
export function signedChallenge(challenge, root, secret) {
  return kerl243(challenge, root, padded(secret));
}

/** Kerl(sender ‖ nonce ‖ padded secret): a v2 claim's proof. */
export function claimProof(sender, nonce, secret) {
  return kerl243(sender, nonce, padded(secret));
}

/** Kerl(padded secret ‖ nonce ‖ challenge): a v2 challenge's proof. */
export function challengeProof(nonce, challenge, secret) {
  return kerl243(padded(secret), nonce, challenge);
}

/**
 * Kerl(padded secret ‖ reference ‖ status): a v2 claim result's proof;
 * reference is the challenge answered or the nonce of the claim refused,
 * status the word OK or NOK as asciiToTrytes trytes padded with 9 to 81.
 */
export function resultProof(reference, status, secret) {
  return kerl243(padded(secret), reference, textToTrytes(status).padEnd(81, '9'));
}

const TRYTE_ALPHABET = '9ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** root ⊞ Kerl(challenge ‖ padded secret ‖ sender): a v2 answer's sealed root. */
export function sealedRoot(root, challenge, secret, sender) {
  const mask = kerl243(challenge, padded(secret), sender);
  return Array.from(root, (t, i) => TRYTE_ALPHABET[(TRYTE_ALPHABET.indexOf(t) + TRYTE_ALPHABET.indexOf(mask[i])) % 27]).join('');
}

// ---------------------------------------------------------------- extractJson

/** The signature fragments prepareTransfers makes of a message. */
function fragmentsOf(trytes) {
  const count = 1 + Math.floor(trytes.length / FRAGMENT_TRYTES);
  const fragments = [];
  for (let i = 0; i < count; i++) {
    fragments.push(trytes.slice(i * FRAGMENT_TRYTES, (i + 1) * FRAGMENT_TRYTES).padEnd(FRAGMENT_TRYTES, '9'));
  }
  return fragments;
}

/** What the legacy reader makes of the fragments: its text and JSON.parse of it. */
function legacyRead(fragments) {
  const text = legacyExtractJson(fragments.map((signatureMessageFragment) => ({ signatureMessageFragment })));
  if (text === null) return { legacy: null, legacyValue: null, legacyError: 'extractJson returned null' };
  try {
    return { legacy: text, legacyValue: JSON.parse(text) };
  } catch (e) {
    return { legacy: text, legacyValue: null, legacyError: `JSON.parse: ${e.message}` };
  }
}

// ---------------------------------------------------------------- messages

/**
 * The vectors for one random stream. Objects are built in the field order of
 * consent-protocol's serde types (the tag `type` first, then the fields as declared,
 * map keys sorted), so the reference text is what our encoder must write.
 */
export function buildProtocolVectors(seedText) {
  const random = new TryteStream(seedText);
  const hash = () => random.trytes(81);
  const evenTrytes = (lo, hi) => random.trytes(2 * random.between(lo / 2, hi / 2));
  // Public keys and sealed boxes are byte strings in trytes, which our types
  // read as such (a key is 930 bytes, a box at least 946). Their bytes come
  // from a stream of their own, and `random` is drawn from exactly as before,
  // so every other input stays what it was.
  const keyBytes = new TryteStream(`${seedText}: key and box bytes`);
  const byteTrytes = (count, lastMask = 0xff) => {
    const bytes = Array.from({ length: count }, () => keyBytes.below(256));
    bytes[count - 1] &= lastMask;
    return bytesToTrytes(bytes);
  };
  // An ntruhps2048677 public key: 930 bytes, the top four bits of the last
  // one clear (as key generation packs it).
  const publicKeyTrytes = () => {
    evenTrytes(1800, 1900);
    return byteTrytes(NTRU_PUBLIC_KEY_BYTES, 0x0f);
  };
  // A sealed box of as many bytes as the length drawn has byte pairs.
  const sealedBoxTrytes = (lo, hi) => byteTrytes(evenTrytes(lo, hi).length / 2);

  const myHome = hash();
  const device = hash();
  const provider = hash();
  const otherProvider = hash();
  const myHomeRoot = hash();
  const challenge = hash();
  const secret = random.trytes(SECRET_TRYTES);
  const claimNonce = hash();
  const requestNonce = hash();
  const timestamp = 1_705_480_215_000 + random.between(0, 86_400_000);

  const serviceProvider = (address) => ({
    iotaAddress: address,
    publicKeyTrytes: publicKeyTrytes(),
    url: 'https://wattt.example/consent?from=myhome&lang=nl',
  });
  const policy = (id, address, expiresAt, nonce) => ({
    id,
    device: { address: device },
    serviceProvider: serviceProvider(address),
    goal: 'Inzicht in uw verbruik – per kwartier, € per maand',
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(nonce === undefined ? {} : { requestNonce: nonce }),
  });
  const rotationKeys = Object.fromEntries([provider, otherProvider].sort().map((a) => [a, sealedBoxTrytes(2000, 2100)]));

  const cases = [
    ['transfer', 'CLAIM_DEVICE', {
      type: 'CLAIM_DEVICE', sender: myHome, nonce: claimNonce, proof: claimProof(myHome, claimNonce, secret),
    }],
    ['transfer', 'CHALLENGE', {
      type: 'CHALLENGE', sender: device, challenge, proof: challengeProof(claimNonce, challenge, secret),
    }],
    ['transfer', 'ANSWER_CHALLENGE', {
      type: 'ANSWER_CHALLENGE',
      sender: myHome,
      signedChallenge: signedChallenge(challenge, myHomeRoot, secret),
      sealedRoot: sealedRoot(myHomeRoot, challenge, secret, myHome),
    }],
    ['transfer', 'CLAIM_RESULT OK', {
      type: 'CLAIM_RESULT', status: 'OK', reason: 'paired', proof: resultProof(challenge, 'OK', secret),
    }],
    ['transfer', 'CLAIM_RESULT NOK with sender, quotes and non-ASCII', {
      type: 'CLAIM_RESULT',
      status: 'NOK',
      reason: 'geweigerd: "antwoord" ongeldig \\ probeer opnieuw — ✗',
      sender: device,
      proof: resultProof(claimNonce, 'NOK', secret),
    }],
    ['transfer', 'MAM_DATA', { type: 'MAM_DATA', policyId: 'policy-7f3a9c', mamData: sealedBoxTrytes(2000, 2200) }],
    ['device', 'DATA, DSMR telegram with CRLF and a non-ASCII character', {
      type: 'DATA', telegrams: [{ raw: TELEGRAM.replace('/ISK5\\2M550T-1012', '/ISK5\\2M550T-1012 Zähler'), timestamp }],
    }],
    ['device', 'DATA, three telegrams, control characters, U+2028, DEL and an astral character', {
      type: 'DATA',
      telegrams: [
        { raw: '/KFM5KAIFA-METER\r\n\r\n1-0:1.8.1(000671.578*kWh)\r\n!6F4A', timestamp },
        { raw: 'tab\there\u0001\u001f\u007f\u2028/😀\b\f', timestamp: timestamp + 1000 },
        { raw: '', timestamp: timestamp + 2000 },
      ],
    }],
    ['device', 'KEY_ROTATION with two providers', { type: 'KEY_ROTATION', keys: rotationKeys }],
    ['device', 'KEY_ROTATION, reset (no keys)', { type: 'KEY_ROTATION', keys: {} }],
    ['event', 'DEVICE_ADDED', { type: 'DEVICE_ADDED', device: { address: device } }],
    ['event', 'DEVICE_DELETED', { type: 'DEVICE_DELETED', device: { address: device } }],
    ['event', 'AUTHORIZED with expiresAt and requestNonce', {
      type: 'AUTHORIZED', policy: policy('policy-7f3a9c', provider, timestamp + 31_536_000_000, requestNonce),
    }],
    ['event', 'AUTHORIZED without expiresAt', { type: 'AUTHORIZED', policy: policy('policy-0b12', otherProvider) }],
    ['event', 'AUTHORIZATION_REVOKED', { type: 'AUTHORIZATION_REVOKED', policy: policy('policy-7f3a9c', provider, timestamp + 31_536_000_000) }],
    ['keyBundle', 'sealed in MAM_DATA: root, side key, policy id and request nonce', {
      root: hash(), sideKey: hash(), policyId: 'policy-7f3a9c', requestNonce,
    }],
    ['keyBundle', 'sealed in MAM_DATA for a policy without a request nonce', {
      root: hash(), sideKey: hash(), policyId: 'policy-0b12',
    }],
    ['rotatedKey', 'sealed in KEY_ROTATION: side key', { sideKey: hash() }],
  ];

  const messages = cases.map(([family, name, message]) => {
    const json = asciiJson(message);
    // ASCII, and no raw control characters (JSON escapes them); DEL stays raw.
    if (!/^[\x20-\x7f]*$/.test(json)) throw new Error(`${name}: JSON text is not ASCII`);
    return { family, name, message, json, trytes: textToTrytes(json) };
  });

  const signedChallenges = [
    { challenge, root: myHomeRoot, secret },
    { challenge: '9'.repeat(81), root: '9'.repeat(81), secret: '9'.repeat(SECRET_TRYTES) },
    // M = 13 = (1, 1, 1): the last trit of each 243-trit block is 1, which Kerl ignores.
    { challenge: 'M'.repeat(81), root: 'N'.repeat(81), secret: 'M'.repeat(SECRET_TRYTES) },
  ];
  for (let i = 0; i < 8; i++) signedChallenges.push({ challenge: hash(), root: hash(), secret: random.trytes(SECRET_TRYTES) });
  for (const v of signedChallenges) v.signedChallenge = signedChallenge(v.challenge, v.root, v.secret);

  const pairingProofs = [
    { sender: myHome, nonce: claimNonce, challenge, root: myHomeRoot, secret },
    { sender: '9'.repeat(81), nonce: '9'.repeat(81), challenge: '9'.repeat(81), root: '9'.repeat(81), secret: '9'.repeat(SECRET_TRYTES) },
    // Z + Z wraps past 27; M = 13 = (1, 1, 1) ends each block with a trit Kerl ignores.
    { sender: 'M'.repeat(81), nonce: 'Z'.repeat(81), challenge: 'M'.repeat(81), root: 'Z'.repeat(81), secret: 'M'.repeat(SECRET_TRYTES) },
  ];
  for (let i = 0; i < 8; i++) {
    pairingProofs.push({ sender: hash(), nonce: hash(), challenge: hash(), root: hash(), secret: random.trytes(SECRET_TRYTES) });
  }
  for (const v of pairingProofs) {
    v.claimProof = claimProof(v.sender, v.nonce, v.secret);
    v.signedChallenge = signedChallenge(v.challenge, v.root, v.secret);
    v.sealedRoot = sealedRoot(v.root, v.challenge, v.secret, v.sender);
    v.challengeProof = challengeProof(v.nonce, v.challenge, v.secret);
    v.resultProofOk = resultProof(v.challenge, 'OK', v.secret);
    v.resultProofNok = resultProof(v.nonce, 'NOK', v.secret);
  }

  const extractJson = [];
  const read = (family, name, trytes, built) => {
    const fragments = fragmentsOf(trytes);
    extractJson.push({ family, name, built, fragments, ...legacyRead(fragments) });
  };
  for (const m of messages) read(m.family, `${m.name}, as a transfer`, m.trytes, m.message);
  const claim = messages.find((m) => m.name === 'CLAIM_DEVICE');
  const authorized = messages.find((m) => m.name === 'AUTHORIZED with expiresAt and requestNonce');
  const junk = () => random.trytes(random.between(1, 200));
  read('transfer', 'CLAIM_DEVICE, 9s, then junk', `${claim.trytes}9999${junk()}`, claim.message);
  read('event', 'AUTHORIZED, 9s to the next fragment, then junk', `${authorized.trytes.padEnd(Math.ceil(authorized.trytes.length / FRAGMENT_TRYTES) * FRAGMENT_TRYTES, '9')}${junk()}`, authorized.message);
  // `9A` (byte 27): one 9, but no `99` pair.
  read('transfer', 'CLAIM_DEVICE, one 9, then junk', `${claim.trytes}9A${junk()}`, claim.message);
  read('transfer', 'CLAIM_DEVICE, junk right after the JSON', `${claim.trytes}ABCD`, claim.message);
  read('transfer', 'CLAIM_DEVICE, a pair above 255 right after the JSON', `${claim.trytes}ZZ`, claim.message);
  read('transfer', 'CLAIM_DEVICE, a second JSON value right after the first', `${claim.trytes}${claim.trytes}`, claim.message);
  read('transfer', 'CLAIM_DEVICE, a newline after the JSON', `${claim.trytes}${textToTrytes('\n')}`, claim.message);
  read('transfer', 'CLAIM_DEVICE, a space before the JSON', `${textToTrytes(' ')}${claim.trytes}`, claim.message);
  read('transfer', 'CLAIM_DEVICE, 9s before the JSON', `99${claim.trytes}`, claim.message);
  read('event', 'AUTHORIZED cut before its last brace', authorized.trytes.slice(0, -2), authorized.message);
  // `{7`: no JSON value, whatever junk follows.
  read('transfer', 'junk that starts with a brace', `ODAB${junk()}`, null);
  read('transfer', 'no message (all 9)', '', null);
  // A message of 2187k - 1 trytes leaves one 9 at the end of its last
  // fragment: no `99` pair, so the legacy reader finds no end.
  for (const length of [FRAGMENT_TRYTES - 1, 3 * FRAGMENT_TRYTES - 1, FRAGMENT_TRYTES - 3]) {
    const base = { type: 'CLAIM_RESULT', status: 'NOK', reason: '', proof: resultProof(claimNonce, 'NOK', secret) };
    base.reason = 'x'.repeat(length / 2 - asciiJson(base).length);
    const trytes = textToTrytes(asciiJson(base));
    if (trytes.length !== length) throw new Error(`built ${trytes.length} trytes, not ${length}`);
    read('transfer', `CLAIM_RESULT of ${length} trytes`, trytes, base);
  }

  return {
    generator: GENERATOR,
    references: { converter: CONVERTER, kerl: KERL, legacy: LEGACY },
    description: 'Consent protocol wire format (ARCHITECTURE.md, Protocol). messages: {family, name, message, json, trytes}, '
      + 'json = JSON.stringify(message) with non-ASCII UTF-16 units as \\uXXXX, trytes = asciiToTrytes(json); family is '
      + 'transfer | device | event | keyBundle | rotatedKey. signedChallenges: {challenge, root, secret, signedChallenge} = '
      + 'Kerl(challenge ‖ root ‖ secret padded with 9 to 81), 729 trits in, 243 out. pairingProofs (v2): {sender, nonce, '
      + 'challenge, root, secret, claimProof = Kerl(sender ‖ nonce ‖ secret), signedChallenge, sealedRoot = root ⊞ '
      + 'Kerl(challenge ‖ secret ‖ sender), ⊞ adding tryte values mod 27, challengeProof = Kerl(secret ‖ nonce ‖ challenge), '
      + 'resultProofOk = Kerl(secret ‖ challenge ‖ OK), resultProofNok = Kerl(secret ‖ nonce ‖ NOK), OK and NOK as '
      + 'asciiToTrytes padded with 9 to 81}. extractJson: {family, name, built '
      + '(the value the trytes were built from, or null), fragments (2187 trytes each, as prepareTransfers lays them out), '
      + 'legacy (what iota.lib.js extractJson returned), legacyValue (JSON.parse of it, or null), legacyError}.',
    messages,
    signedChallenges,
    pairingProofs,
    extractJson,
  };
}

/** The file text for a set of vectors. */
export const vectorText = (vectors) => `${JSON.stringify(vectors, null, 1)}\n`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = vectorText(buildProtocolVectors(FIXED_SEED));
  await writeFile(PROTOCOL_VECTORS, text);
  console.log(`wrote ${path.relative(process.cwd(), PROTOCOL_VECTORS)} (${(text.length / 1024).toFixed(0)} KiB)`);
}
