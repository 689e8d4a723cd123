// A hand-written fast path for the ingest schemas in events.ts. It MUST stay in step with
// TrackEventInput and BatchInput there: whatever it accepts, zod must accept with a deep-equal
// output. events-fast.test.ts checks that property on generated inputs; change both files together.
// It answers only for plainly valid input and returns undefined for anything else, so that zod
// still decides every doubtful case and words every error.
import { isServiceTier } from '../pricing/service-tiers.js';
import { type BatchInput, MAX_BATCH_EVENTS, type TrackEventInput } from './events.js';
import { EVENT_ID_PATTERN, REQUEST_HASH_PATTERN } from './patterns.js';

/** Returns the value as zod would output it, or undefined to leave the decision to zod. */
type Check = (value: unknown) => unknown;

const MAX_TOKENS = 100_000_000_000;
const MAX_TAGS = 32;
const MAX_METADATA_CHARS = 16_384;

// zod's .int() means a safe integer, and z.number() already refuses NaN and Infinity.
const wholeNumber = (max: number): Check => (v) => (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max ? v : undefined);

// .trim() runs before min and max, so the bounds apply to the trimmed string, which is the output.
const label = (max: number): Check => (v) => {
  if (typeof v !== 'string') return undefined;
  const trimmed = v.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : undefined;
};

const matching = (pattern: RegExp): Check => (v) => (typeof v === 'string' && pattern.test(v) ? v : undefined);

const tagValue: Check = (v) =>
  typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 256) ? v : undefined;

/** A tag name needing no trim, so zod keeps it as it is and two names cannot collapse into one. */
const isTagName = (k: string) => k.length >= 1 && k.length <= 64 && k.trim() === k;

const tags: Check = (v) => copyRecord(v, MAX_TAGS, isTagName, tagValue);
const metadata: Check = (v) => copyRecord(v, Number.POSITIVE_INFINITY, () => true, (x) => x);

/** In the order of the zod shape, which is the order of zod's output keys. */
const FIELDS: [key: keyof TrackEventInput, check: Check][] = [
  ['provider', label(64)],
  ['model', label(200)],
  ['input_tokens', wholeNumber(MAX_TOKENS)],
  ['output_tokens', wholeNumber(MAX_TOKENS)],
  ['cached_input_tokens', wholeNumber(MAX_TOKENS)],
  ['cache_write_tokens', wholeNumber(MAX_TOKENS)],
  ['reasoning_tokens', wholeNumber(MAX_TOKENS)],
  ['usage_missing', (v) => (typeof v === 'boolean' ? v : undefined)],
  ['service_tier', (v) => (isServiceTier(v) ? v : undefined)],
  // An ISO string goes to zod: its date-time rules are not worth copying for the rare client that sends one.
  ['timestamp', wholeNumber(Number.MAX_SAFE_INTEGER)],
  ['latency_ms', wholeNumber(86_400_000)],
  ['status', (v) => (v === 'success' || v === 'error' ? v : undefined)],
  ['error_type', label(200)],
  ['feature', label(128)],
  ['user_id', label(256)],
  ['session_id', label(200)],
  ['environment', label(64)],
  ['request_hash', matching(REQUEST_HASH_PATTERN)],
  ['tags', tags],
  ['metadata', metadata],
  ['event_id', matching(EVENT_ID_PATTERN)],
];
const FIELD_INDEX = new Map<string, number>(FIELDS.map(([key], i) => [key, i]));

/**
 * TrackEventInput.parse(value) for the common, plainly valid event; undefined means "ask zod".
 * @example fastTrackEvent(JSON.parse(body)) ?? TrackEventInput.parse(JSON.parse(body))
 */
export function fastTrackEvent(value: unknown): TrackEventInput | undefined {
  if (!isPlainObject(value)) return undefined;
  // Driven by the keys present, which is cheaper than probing every field. for..in, like zod's
  // strict check, also meets an inherited enumerable key, and so refuses an unknown one.
  const parsed: unknown[] = [];
  for (const key in value) {
    const i = FIELD_INDEX.get(key);
    if (i === undefined) return undefined;
    // A key holding undefined fails its check too: zod would output it as undefined, an oddity left to zod.
    const v = FIELDS[i][1](value[key]);
    if (v === undefined) return undefined;
    parsed[i] = v;
  }
  // Written in the shape's order, as zod writes them, whatever the order of the input.
  const out: Record<string, unknown> = {};
  FIELDS.forEach(([key], i) => {
    if (parsed[i] !== undefined) out[key] = parsed[i];
  });
  const event = out as TrackEventInput;
  return passesRefinements(event) ? event : undefined;
}

/**
 * BatchInput.parse(value) for a batch of plainly valid events; undefined means "ask zod".
 * @example fastBatch({ events: [{ provider: 'openai', model: 'gpt-4', input_tokens: 10, output_tokens: 5 }] })
 */
export function fastBatch(value: unknown): BatchInput | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (key !== 'events') return undefined;
  const input = value.events;
  if (!Array.isArray(input) || input.length < 1 || input.length > MAX_BATCH_EVENTS) return undefined;
  const events: TrackEventInput[] = [];
  for (const item of input) {
    const event = fastTrackEvent(item);
    if (event === undefined) return undefined;
    events.push(event);
  }
  return { events };
}

/** The required keys and the superRefine rules of TrackEventInput, except the tag count, which copyRecord enforces. */
function passesRefinements(e: TrackEventInput): boolean {
  if (e.provider === undefined || e.model === undefined || e.input_tokens === undefined || e.output_tokens === undefined) return false;
  if ((e.cached_input_tokens ?? 0) + (e.cache_write_tokens ?? 0) > e.input_tokens) return false;
  if ((e.reasoning_tokens ?? 0) > e.output_tokens) return false;
  if (e.metadata === undefined) return true;
  try {
    return JSON.stringify(e.metadata).length <= MAX_METADATA_CHARS;
  } catch {
    // a BigInt or a cycle: zod's refinement would throw, which is not ours to imitate
    return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The new object z.record outputs. Refuses symbol keys (zod rejects or skips them), __proto__ (zod
 * drops it) and constructor (zod's plain-object test reads it).
 */
function copyRecord(v: unknown, maxKeys: number, isKey: (k: string) => boolean, check: Check): Record<string, unknown> | undefined {
  if (!isPlainObject(v) || Object.getOwnPropertySymbols(v).length > 0) return undefined;
  const keys = Object.keys(v);
  if (keys.length > maxKeys) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k === '__proto__' || k === 'constructor' || !isKey(k)) return undefined;
    const parsed = check(v[k]);
    if (parsed === undefined) return undefined;
    out[k] = parsed;
  }
  return out;
}
