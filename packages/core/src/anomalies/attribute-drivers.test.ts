import { describe, expect, it } from 'vitest';
import { attributeDrivers } from './attribute-drivers.js';
import type { AnomalyPoint } from './types.js';

const point = (users: Record<string, number>): AnomalyPoint => ({
  at: 0,
  spend_nanos: Object.values(users).reduce((a, b) => a + b, 0),
  calls: 10,
  input_tokens: 0,
  output_tokens: 0,
  contributions: { user: users },
});

describe('attributeDrivers', () => {
  it('splits the excess by how far each key is above its own usual spend', () => {
    const refs = [point({ a: 100, b: 100 }), point({ a: 110, b: 90 }), point({ a: 90, b: 100 })];
    // a: 400 - 100 = 300, b: 200 - 100 = 100, c (new): 100; total excess 500.
    const drivers = attributeDrivers(point({ a: 400, b: 200, c: 100 }), refs, 500);
    expect(drivers).toEqual([
      { kind: 'user', key: 'a', excess_nanos: 300, share: 0.6 },
      { kind: 'user', key: 'b', excess_nanos: 100, share: 0.2 },
      { kind: 'user', key: 'c', excess_nanos: 100, share: 0.2 },
    ]);
  });

  it('names no driver for a key under 5% of the excess or below its usual spend', () => {
    const refs = [point({ a: 100, b: 100 }), point({ a: 100, b: 100 })];
    expect(attributeDrivers(point({ a: 1100, b: 104 }), refs, 1000)).toEqual([{ kind: 'user', key: 'a', excess_nanos: 1000, share: 1 }]);
  });
});
