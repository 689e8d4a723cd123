/**
 * A sliding window counted in fixed buckets: what the last `windowMs` used is the sum of the
 * buckets it spans, the oldest one weighted by the part of it still inside the window (its calls
 * are taken to be evenly spread over it). Counts live per bucket, so a shared store (a database
 * row per bucket, or a map in one process) keeps them with plain additions.
 */
export interface SlidingWindow {
  windowMs: number;
  /** Buckets per window; the window spans this many whole buckets plus the current one. */
  buckets: number;
}

/** Six buckets a window: a minute counts in 10 s steps, an hour in 10 min steps. */
export const BUCKETS_PER_WINDOW = 6;

export function bucketMs(w: SlidingWindow): number {
  return w.windowMs / w.buckets;
}

/**
 * The bucket `now` falls in (buckets are aligned on the epoch) and how far into it `now` is.
 * @example bucketAt({ windowMs: 60_000, buckets: 6 }, 125_000) // { start: 120_000, elapsed: 5_000 }
 */
export function bucketAt(w: SlidingWindow, now: number): { start: number; elapsed: number } {
  const size = bucketMs(w);
  const elapsed = ((now % size) + size) % size;
  return { start: now - elapsed, elapsed };
}

/**
 * The counts of the buckets the window spans at `now`, oldest first, the current bucket last
 * (`buckets + 1` of them), from whatever buckets are stored (others count 0).
 * @example countsAt({ windowMs: 60_000, buckets: 6 }, 125_000, [{ start: 120_000, amount: 2 }, { start: 60_000, amount: 5 }]) // [0, 5, 0, 0, 0, 0, 2]
 */
export function countsAt(w: SlidingWindow, now: number, stored: Iterable<{ start: number; amount: number }>): number[] {
  const size = bucketMs(w);
  const { start } = bucketAt(w, now);
  const counts = new Array<number>(w.buckets + 1).fill(0);
  for (const b of stored) {
    const index = w.buckets - Math.round((start - b.start) / size);
    if (index >= 0 && index <= w.buckets) counts[index] += b.amount;
  }
  return counts;
}

/** The counts without the current bucket, the oldest weighted by its part inside the window. */
function pastUsage(w: SlidingWindow, counts: readonly number[], elapsed: number): number {
  const size = bucketMs(w);
  let sum = (counts[0] * (size - elapsed)) / size;
  for (let i = 1; i < w.buckets; i++) sum += counts[i];
  return sum;
}

/**
 * What the last `windowMs` used.
 * @example slidingUsage({ windowMs: 60_000, buckets: 6 }, [10, 0, 0, 0, 0, 3, 1], 2_500) // 10 x 0.75 + 3 + 1 = 11.5
 */
export function slidingUsage(w: SlidingWindow, counts: readonly number[], elapsed: number): number {
  return pastUsage(w, counts, elapsed) + counts[w.buckets];
}

/**
 * The most the current bucket may hold under `limit`, given the buckets before it: a call of
 * `amount` fits while current + amount stays within it. Whole units, as counts are.
 * @example currentAllowance({ windowMs: 60_000, buckets: 6 }, 10, [10, 0, 0, 0, 0, 3, 1], 2_500) // floor(10 - 7.5 - 3) = -1
 */
export function currentAllowance(w: SlidingWindow, limit: number, counts: readonly number[], elapsed: number): number {
  return Math.floor(limit - pastUsage(w, counts, elapsed));
}

/**
 * What is left of `limit` now, in whole units.
 * @example remainingOf({ windowMs: 60_000, buckets: 6 }, 10, [0, 0, 0, 0, 0, 0, 3], 0) // 7
 */
export function remainingOf(w: SlidingWindow, limit: number, counts: readonly number[], elapsed: number): number {
  return Math.max(0, currentAllowance(w, limit, counts, elapsed) - counts[w.buckets]);
}

/**
 * How long until `amount` more fits if nothing else is counted meanwhile: 0 when it fits now,
 * Infinity when it never can (more than the limit on its own).
 * @example msUntilFits({ windowMs: 60_000, buckets: 6 }, 10, [0, 0, 0, 0, 0, 0, 10], 0, 1) // 61_000: the bucket of 10 weighs 9 a second after it leaves the last full minute
 */
export function msUntilFits(w: SlidingWindow, limit: number, counts: readonly number[], elapsed: number, amount: number): number {
  if (amount > limit) return Number.POSITIVE_INFINITY;
  const size = bucketMs(w);
  const n = w.buckets;
  // Bucket by bucket from now: `ahead` buckets on, counts[ahead] is the weighted oldest and
  // counts[ahead + 1 ..] (the current bucket included) count whole; later buckets hold nothing.
  for (let ahead = 0; ahead <= n; ahead++) {
    let whole = 0;
    for (let i = ahead + 1; i <= n; i++) whole += counts[i];
    const room = limit - amount - whole;
    if (room < 0) continue;
    const oldest = counts[ahead];
    const from = ahead === 0 ? elapsed : 0;
    // oldest x (size - e) / size <= room from e = size x (1 - room / oldest) on.
    const fitsAt = oldest <= room ? from : Math.max(from, Math.ceil(size * (1 - room / oldest)));
    if (fitsAt < size) return ahead * size + fitsAt - elapsed;
  }
  return (n + 1) * size - elapsed;
}

/**
 * How long until the window has counted nothing, if nothing else is counted: when its newest
 * non-empty bucket has slid out.
 * @example msUntilEmpty({ windowMs: 60_000, buckets: 6 }, [0, 0, 0, 0, 0, 0, 3], 4_000) // 66_000
 */
export function msUntilEmpty(w: SlidingWindow, counts: readonly number[], elapsed: number): number {
  for (let i = w.buckets; i >= 0; i--) if (counts[i] > 0) return (i + 1) * bucketMs(w) - elapsed;
  return 0;
}
