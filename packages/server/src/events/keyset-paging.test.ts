import { describe, expect, it } from 'vitest';
import { json, newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useOwnDatabase } from '../../test/helpers/own-database.js';
import { useTestApp } from '../../test/helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
/** 4,500 calls on 90 distinct instants (50 per instant): every page and export chunk boundary falls inside a tie. */
const CALLS = 4500;
const PER_INSTANT = 50;

interface Listed {
  events: { event_id: string; timestamp: string }[];
  next_cursor: string | null;
}

describe.each(databases())('keyset paging of the events list and the export on $name', (db) => {
  const app = useTestApp(useOwnDatabase(db), NOW);

  it('walks every event exactly once in both directions, with calls sharing one timestamp', async () => {
    const t = await newTenant(app);
    const sent = Array.from({ length: CALLS }, (_, i) => ({
      event_id: `tie-${String(i).padStart(4, '0')}`,
      provider: 'openai',
      model: 'gpt-4o-mini',
      input_tokens: 100 + i,
      output_tokens: 10,
      timestamp: new Date(NOW - 3_600_000 + Math.floor(i / PER_INSTANT) * 1000).toISOString(),
    }));
    for (let i = 0; i < CALLS; i += 1000) {
      const res = await app.request('/api/events/batch', { token: t.apiKey, body: { events: sent.slice(i, i + 1000) } });
      expect(res.status).toBe(200);
    }

    // Newest first, 70 a page: 65 pages, each cursor inside a run of 50 equal timestamps.
    const listed: Listed['events'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Listed = await json<Listed>(app.request(`/api/events?limit=70${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: t.token }));
      listed.push(...page.events);
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(65);
    expect(listed).toHaveLength(CALLS);
    expect(new Set(listed.map((e) => e.event_id)).size).toBe(CALLS);
    const times = listed.map((e) => Date.parse(e.timestamp));
    expect(times.every((ms, i) => i === 0 || ms <= times[i - 1])).toBe(true);

    // Oldest first, in the export's pages of 2,000: the 2,000th and 4,000th rows fall inside ties too.
    const res = await app.request(`/api/export?format=json&from=${NOW - 2 * 3_600_000}`, { token: t.token });
    expect(res.status).toBe(200);
    const exported = (await res.json()) as { event_id: string; timestamp: string }[];
    expect(exported).toHaveLength(CALLS);
    expect(new Set(exported.map((e) => e.event_id))).toEqual(new Set(sent.map((e) => e.event_id)));
    const exportedTimes = exported.map((e) => Date.parse(e.timestamp));
    expect(exportedTimes.every((ms, i) => i === 0 || ms >= exportedTimes[i - 1])).toBe(true);
    expect(exportedTimes[0]).toBe(Date.parse(sent[0].timestamp));
    expect(exportedTimes[CALLS - 1]).toBe(Date.parse(sent[CALLS - 1].timestamp));
  });
});
