import { median } from '../forecast/robust-stats.js';
import { type AnomalyDriver, type AnomalyPoint, DRIVER_KINDS } from './types.js';

/** Drivers named per kind: enough to point at the cause without listing every user. */
const DRIVERS_PER_KIND = 3;
/** A key that explains less than this share of the excess is not a driver. */
const MIN_SHARE = 0.05;

/**
 * Splits an anomaly's excess spend among the models, features, end users and keys of the
 * bucket: each key's spend minus its own median in the comparable buckets.
 * @example attributeDrivers(point, referencePoints, 50e9)[0] // { kind: 'user', key: 'customer-42', excess_nanos: 49e9, share: 0.98 }
 */
export function attributeDrivers(
  point: AnomalyPoint,
  references: readonly AnomalyPoint[],
  excessNanos: number,
): AnomalyDriver[] {
  if (excessNanos <= 0) return [];
  const drivers: AnomalyDriver[] = [];
  for (const kind of DRIVER_KINDS) {
    const now = point.contributions?.[kind];
    if (!now) continue;
    const found: AnomalyDriver[] = [];
    for (const [key, spend] of Object.entries(now)) {
      const usual = median(references.map((r) => r.contributions?.[kind]?.[key] ?? 0));
      const excess = Math.round(spend - usual);
      const share = Math.min(1, excess / excessNanos);
      if (share >= MIN_SHARE) found.push({ kind, key, excess_nanos: excess, share: Math.round(share * 1000) / 1000 });
    }
    found.sort((a, b) => b.excess_nanos - a.excess_nanos);
    drivers.push(...found.slice(0, DRIVERS_PER_KIND));
  }
  return drivers;
}
