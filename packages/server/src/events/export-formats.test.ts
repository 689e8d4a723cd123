import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useOwnDatabase } from '../../test/helpers/own-database.js';
import { useTestApp } from '../../test/helpers/test-app.js';
import { CSV_COLUMNS } from './export-events.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

/** Calls whose cells test the CSV's quoting, its formula guard, JSON cells, empty cells and every derived column. */
const CALLS = [
  {
    event_id: 'ev-quotes', provider: 'openai', model: 'gpt-4o', input_tokens: 1200, output_tokens: 300, cached_input_tokens: 200, reasoning_tokens: 100,
    feature: 'chat, "beta"', user_id: '=HYPERLINK("x")', environment: 'prod', session_id: 'run-1', service_tier: 'batch',
    tags: { team: 'growth', note: 'a,b\r\nc' }, metadata: { request: 'r-1', nested: { n: 1 } }, latency_ms: 420,
  },
  { event_id: 'ev-unpriced', provider: 'openai', model: 'model-nobody-prices', input_tokens: 10, output_tokens: 5, status: 'error', error_type: 'timeout' },
  { event_id: 'ev-plain', provider: 'anthropic', model: 'claude-3-haiku', input_tokens: 4000, output_tokens: 800, cache_write_tokens: 1000, feature: '+1 plan' },
];

/** The CSV cell an event answer's value is written as. */
function cellOf(column: (typeof CSV_COLUMNS)[number], e: Record<string, unknown>): string {
  const formula = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  const value = column === 'cost_usd' ? e.cost_nanos : column === 'saved_usd' ? e.saved_nanos : e[column];
  if (value === null || value === undefined) return '';
  if (column === 'cost_usd' || column === 'saved_usd') return ((value as number) / 1e9).toFixed(9).replace(/\.?0+$/, '');
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? formula(value) : String(value);
}

describe.each(databases())('the export on $name: CSV and JSON', (db) => {
  const app = useTestApp(useOwnDatabase(db), NOW);

  it('writes every CSV cell as the JSON export and the events list show the event', async () => {
    const t = await newTenant(app);
    const timestamp = (i: number) => new Date(NOW - 60_000 * (3 - i)).toISOString();
    const sent = await app.request('/api/events/batch', { token: t.apiKey, body: { events: CALLS.map((c, i) => ({ ...c, timestamp: timestamp(i) })) } });
    expect(sent.status).toBe(200);

    const json = (await (await app.request('/api/export?format=json', { token: t.apiKey })).json()) as Record<string, unknown>[];
    const text = await (await app.request('/api/export?format=csv', { token: t.apiKey })).text();
    const rows = parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(json.map((e) => e.event_id)).toEqual(['ev-quotes', 'ev-unpriced', 'ev-plain']);
    expect(rows.map((r) => r.event_id)).toEqual(['ev-quotes', 'ev-unpriced', 'ev-plain']);
    for (const [i, e] of json.entries()) {
      for (const column of CSV_COLUMNS) expect([column, rows[i][column]]).toEqual([column, cellOf(column, e)]);
    }

    // The cells a spreadsheet user reads, spelled out: gpt-4o at $2.50 in, $1.25 cached, $10 out, halved for batch.
    expect(rows[0]).toMatchObject({
      cost_usd: '0.002875', priced: 'true', feature: 'chat, "beta"', user_id: `'=HYPERLINK("x")`, service_tier: 'batch', session_id: 'run-1',
      latency_ms: '420', cache_hit: 'false', saved_usd: '',
    });
    // JSON cells (PostgreSQL's jsonb keeps its own key order).
    expect([JSON.parse(rows[0].tags), JSON.parse(rows[0].metadata)]).toEqual([CALLS[0].tags, CALLS[0].metadata]);
    expect(rows[1]).toMatchObject({ cost_usd: '', priced: 'false', status: 'error', tags: '', metadata: '', service_tier: '', session_id: '' });
    expect(rows[2]).toMatchObject({ feature: "'+1 plan", cache_write_tokens: '1000' });
  });
});
