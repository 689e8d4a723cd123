import { describe, expect, it } from 'vitest';
import { expiryCutoff } from './expiry-cutoff.js';

const t = (iso: string) => Date.parse(iso);

describe('expiryCutoff', () => {
  it.each([
    ['30 days before, to the millisecond', t('2026-03-31T10:30:00.250Z'), 30, [], t('2026-03-01T10:30:00.250Z')],
    ['one day', t('2026-03-31T10:00:00Z'), 1, [], t('2026-03-30T10:00:00Z')],
    ['a budget period that started earlier keeps its events', t('2026-03-31T10:30:00Z'), 1, [t('2026-03-01T00:00:00Z')], t('2026-03-01T00:00:00Z')],
    ['a period starting off the hour (UTC+05:30)', t('2026-03-31T10:30:00Z'), 1, [t('2026-03-29T18:30:00Z')], t('2026-03-29T18:30:00Z')],
    ['a period inside the retention changes nothing', t('2026-03-31T10:30:00Z'), 30, [t('2026-03-30T00:00:00Z')], t('2026-03-01T10:30:00Z')],
    ['the earliest of several periods wins', t('2026-03-31T10:30:00Z'), 1, [t('2026-03-30T00:00:00Z'), t('2026-03-23T00:00:00Z')], t('2026-03-23T00:00:00Z')],
    ['ten years, leap days counted as days', t('2036-01-01T00:00:00Z'), 3650, [], t('2026-01-03T00:00:00Z')],
  ])('%s', (_name, now, days, keepFrom, expected) => {
    expect(expiryCutoff(now, days, keepFrom)).toBe(expected);
  });
});
