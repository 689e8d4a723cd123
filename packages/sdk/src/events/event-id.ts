import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(4096);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;
const hex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randomBytes(n: number): Uint8Array {
  // One getrandom call per ~400 ids keeps track() in the low microseconds.
  if (poolOffset + n > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix ms, then a 12-bit counter seeded at random each ms so ids
 * made in the same millisecond by this process still sort in creation order.
 * @example newEventId() // '0193a1f2-7c3e-7a01-9f4b-2c8d1e6a5b90'
 */
export function newEventId(now = Date.now()): string {
  const rnd = randomBytes(10);
  if (now > lastMs) {
    lastMs = now;
    sequence = ((rnd[0] << 8) | rnd[1]) & 0x7ff;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      // Counter exhausted within one ms: borrow the next ms, as RFC 9562 section 6.2 allows.
      lastMs += 1;
      sequence = 0;
    }
  }
  const ms = lastMs;
  const b = new Uint8Array(16);
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | (sequence >>> 8);
  b[7] = sequence & 0xff;
  b[8] = 0x80 | (rnd[2] & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = rnd[i - 6];
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += hex[b[i]];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}
