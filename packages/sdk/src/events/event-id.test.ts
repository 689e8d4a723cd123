import { describe, expect, it } from 'vitest';
import { newEventId } from './event-id.js';

describe('newEventId', () => {
  it('is a UUIDv7 carrying the creation time in its first 48 bits', () => {
    const now = Date.UTC(2026, 10, 27, 10, 0, 0);
    const id = newEventId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newEventId(Date.UTC(2030, 0, 1)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
