import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate, localDatesBetween, startOfDay, wallClock, zonedInstant, zoneOffset } from './zones.js';

/** The wall clock straight from Intl, with no cache: what wallClock must always agree with. */
function reference(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

// DST at 02:00 and 03:00, half-hour and 45-minute offsets, a 30-minute DST shift (Lord Howe),
// a zone that skipped a whole day (Apia, 2011-12-30), and offsets with seconds before 1900s standard time.
const ZONES = ['UTC', 'Etc/GMT', 'Zulu', 'Europe/Paris', 'America/New_York', 'America/St_Johns', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide', 'Australia/Lord_Howe', 'Pacific/Apia', 'Europe/Amsterdam', 'America/Sao_Paulo'];

describe('wallClock', () => {
  it('agrees with Intl at any instant, in any zone, asked in any order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1890, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, ms) => {
        expect(wallClock(ms, zone)).toEqual(reference(ms, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with Intl minute by minute across DST changes and sub-hour offsets', () => {
    const cases: [string, number][] = [
      ['Europe/Paris', Date.UTC(2026, 2, 29, 0)],
      ['Europe/Paris', Date.UTC(2026, 9, 25, 0)],
      ['America/St_Johns', Date.UTC(2026, 2, 8, 4)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 14)],
      ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 15)],
      ['Pacific/Apia', Date.UTC(2011, 11, 30, 8)],
      ['Europe/Amsterdam', Date.UTC(1937, 5, 30, 22)],
    ];
    for (const [zone, around] of cases) {
      for (let ms = around - 3 * 3_600_000; ms <= around + 3 * 3_600_000; ms += 60_000) {
        expect(wallClock(ms, zone), `${zone} at ${new Date(ms).toISOString()}`).toEqual(reference(ms, zone));
      }
    }
  });

  it('gives the offset and the local date the wall clock implies', () => {
    expect(zoneOffset(Date.UTC(2026, 0, 15, 12), 'Europe/Paris')).toBe(3_600_000);
    expect(zoneOffset(Date.UTC(2026, 6, 15, 12), 'Europe/Paris')).toBe(7_200_000);
    expect(zoneOffset(Date.UTC(2026, 0, 15, 12), 'Asia/Kathmandu')).toBe(20_700_000);
    expect(localDate(Date.UTC(2026, 10, 27, 23, 30), 'Asia/Kolkata')).toBe('2026-11-28');
    expect(localDate(Date.UTC(2026, 10, 27, 23, 30), 'America/New_York')).toBe('2026-11-27');
  });

  it('finds local midnights on both sides of a DST change, and days that are 23 or 25 hours long', () => {
    expect(zonedInstant('Europe/Paris', 2026, 3, 29)).toBe(Date.UTC(2026, 2, 28, 23));
    expect(zonedInstant('Europe/Paris', 2026, 3, 30)).toBe(Date.UTC(2026, 2, 29, 22));
    expect(startOfDay(Date.UTC(2026, 9, 25, 12), 'Europe/Paris')).toBe(Date.UTC(2026, 9, 24, 22));
    expect(localDatesBetween(Date.UTC(2026, 2, 28, 12), Date.UTC(2026, 2, 30, 12), 'Europe/Paris')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    // Clocks that go forward at midnight: the day starts at 01:00.
    expect(startOfDay(Date.UTC(2018, 10, 4, 12), 'America/Sao_Paulo')).toBe(Date.UTC(2018, 10, 4, 3));
    expect(localDatesBetween(Date.UTC(2018, 10, 3, 12), Date.UTC(2018, 10, 5, 12), 'America/Sao_Paulo')).toEqual(['2018-11-03', '2018-11-04', '2018-11-05']);
    expect(localDatesBetween(Date.UTC(2026, 8, 5, 12), Date.UTC(2026, 8, 7, 12), 'America/Santiago')).toEqual(['2026-09-05', '2026-09-06', '2026-09-07']);
    // A time that occurs twice is the first; one that never occurs comes after the gap.
    expect(zonedInstant('Europe/Paris', 2026, 10, 25, 2, 30)).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(zonedInstant('Europe/Paris', 2026, 3, 29, 2, 30)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // Samoa skipped 2011-12-30 entirely.
    expect(localDatesBetween(Date.UTC(2011, 11, 29, 12), Date.UTC(2011, 11, 30, 12), 'Pacific/Apia')).toEqual(['2011-12-29', '2011-12-31']);
  });
});
