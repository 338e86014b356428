/**
 * Profiles kept ready for the profile API. The embedded store writes each loaded profile as the
 * bytes of the API's answer (docs/profile-api.md), so a hit is one read and one socket write: no
 * decode, no object, no JSON.stringify per request. The row also carries `firstSeenAt`, which
 * live identity needs and the answer does not show:
 *
 *   byte 0      0xC1: msgpack never begins a value with it, so rows written before this format
 *               (msgpack records) are told apart and still read
 *   bytes 1–2   the byte length of firstSeenAt (big-endian), 0xFFFF for null, 0xFFFE for absent
 *   then        firstSeenAt (ISO text), then the answer's JSON (UTF-8)
 */
import type { ServedProfile } from '../types.js';

/** The profile API's answer for a profile: these keys, in this order (`?events` appends `events`). */
export interface ProfileAnswerBody {
  profile_id: string;
  identifiers: ServedProfile['identifiers'];
  traits: ServedProfile['traits'];
  audiences: ServedProfile['audiences'];
  events?: unknown[];
}

/** The answer's object for `profile` (what the API serializes when no stored answer is at hand). */
export function answerBody(profile: ServedProfile): ProfileAnswerBody {
  return {
    profile_id: profile.profileId,
    identifiers: profile.identifiers,
    traits: profile.traits,
    audiences: profile.audiences,
  };
}

const TAG = 0xc1;
const HEAD = 3;
const NULL_SEEN = 0xffff;
const NO_SEEN = 0xfffe;

/** A profile as the embedded store writes it. */
export function encodeRow(profile: ServedProfile): Buffer {
  const json = JSON.stringify(answerBody(profile));
  const seen = profile.firstSeenAt;
  const seenBytes = typeof seen === 'string' ? Buffer.byteLength(seen) : 0;
  if (seenBytes >= NO_SEEN) throw new Error(`firstSeenAt of ${profile.profileId} is not a timestamp`);
  const row = Buffer.allocUnsafe(HEAD + seenBytes + Buffer.byteLength(json));
  row[0] = TAG;
  row.writeUInt16BE(seen === null ? NULL_SEEN : seen === undefined ? NO_SEEN : seenBytes, 1);
  if (typeof seen === 'string') row.write(seen, HEAD, 'utf8');
  row.write(json, HEAD + seenBytes, 'utf8');
  return row;
}

/** Whether `bytes` is a row of this format (else a msgpack record of an older load). */
export function isRow(bytes: Uint8Array): boolean {
  return bytes.length >= HEAD && bytes[0] === TAG;
}

function seenLength(bytes: Uint8Array): number {
  const n = ((bytes[1] as number) << 8) | (bytes[2] as number);
  return n >= NO_SEEN ? 0 : n;
}

/** The answer's JSON bytes of a row (a view into `bytes`). */
export function rowAnswer(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(HEAD + seenLength(bytes));
}

/**
 * The profile a row holds. `bytes.length` is the row's size (lmdb's reused read buffer is longer
 * than the row it holds, its `length` says how much is the row).
 */
export function decodeRow(bytes: Uint8Array): ServedProfile {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const marker = buffer.readUInt16BE(1);
  const seenBytes = seenLength(bytes);
  const body = JSON.parse(buffer.toString('utf8', HEAD + seenBytes)) as ProfileAnswerBody;
  const profile: ServedProfile = {
    profileId: body.profile_id,
    identifiers: body.identifiers,
    traits: body.traits,
    audiences: body.audiences,
  };
  if (marker === NULL_SEEN) profile.firstSeenAt = null;
  else if (marker !== NO_SEEN) profile.firstSeenAt = buffer.toString('utf8', HEAD, HEAD + seenBytes);
  return profile;
}

/**
 * The answer's JSON with `events` added, byte for byte what `JSON.stringify({...body, events})`
 * gives: the stored object's closing brace is replaced by `,"events":[…]}`.
 */
export function withEvents(answer: Uint8Array, events: unknown[]): Buffer {
  const tail = Buffer.from(`,"events":${JSON.stringify(events)}}`);
  return Buffer.concat([answer.subarray(0, answer.length - 1), tail]);
}
