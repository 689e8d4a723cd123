import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(4096);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;
const hex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Offset of 10 fresh random bytes in the pool; one getrandom call serves ~400 ids, keeping track() cheap. */
function takeRandom(): number {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += 10;
  return at;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix ms, then a 12-bit counter seeded at random each ms so ids
 * made in the same millisecond by this process still sort in creation order.
 * @example newEventId() // '0193a1f2-7c3e-7a01-9f4b-2c8d1e6a5b90'
 */
export function newEventId(now = Date.now()): string {
  const r = takeRandom();
  if (now > lastMs) {
    lastMs = now;
    sequence = ((pool[r] << 8) | pool[r + 1]) & 0x7ff;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      // Counter exhausted within one ms: borrow the next ms, as RFC 9562 section 6.2 allows.
      lastMs += 1;
      sequence = 0;
    }
  }
  const ms = lastMs;
  const high = Math.floor(ms / 2 ** 32);
  return (
    hex[(high >>> 8) & 0xff] +
    hex[high & 0xff] +
    hex[(ms >>> 24) & 0xff] +
    hex[(ms >>> 16) & 0xff] +
    '-' +
    hex[(ms >>> 8) & 0xff] +
    hex[ms & 0xff] +
    '-' +
    hex[0x70 | (sequence >>> 8)] +
    hex[sequence & 0xff] +
    '-' +
    hex[0x80 | (pool[r + 2] & 0x3f)] +
    hex[pool[r + 3]] +
    '-' +
    hex[pool[r + 4]] +
    hex[pool[r + 5]] +
    hex[pool[r + 6]] +
    hex[pool[r + 7]] +
    hex[pool[r + 8]] +
    hex[pool[r + 9]]
  );
}
