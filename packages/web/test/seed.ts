/**
 * A small, fixed story of LLM calls placed at fixed offsets from today (UTC): inside the last
 * 30 days, in the 30 days before (for "change vs previous period"), and far outside both.
 */
import { DAY_MS } from '../src/filters/time';

export interface SeedPlan {
  daysAgo: number;
  provider: string;
  model: string;
  feature: string;
  user_id: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number;
  metadata?: Record<string, unknown>;
}

export interface SeededEvent extends SeedPlan {
  event_id: string;
  ts: number;
  cost_nanos: number | null;
}

// biome-ignore format: the plan reads best as a table, one call per line
export const PLAN: SeedPlan[] = [
  { daysAgo: 0, provider: 'openai', model: 'gpt-4o', feature: 'chat', user_id: 'customer-1', input_tokens: 1200, output_tokens: 300, metadata: { route: '/chat' } },
  { daysAgo: 0, provider: 'anthropic', model: 'claude-3-haiku', feature: 'summarize', user_id: 'customer-2', input_tokens: 3000, output_tokens: 500 },
  { daysAgo: 1, provider: 'openai', model: 'gpt-4o-mini', feature: 'summarize', user_id: 'customer-1', input_tokens: 5000, output_tokens: 800, metadata: { prompt_version: 'v2', doc_pages: 12 } },
  { daysAgo: 2, provider: 'openai', model: 'gpt-4o', feature: 'chat', user_id: 'customer-2', input_tokens: 2000, output_tokens: 1000, cached_input_tokens: 500 },
  { daysAgo: 3, provider: 'openai', model: 'gpt-llmlab-unlisted', feature: 'chat', user_id: 'customer-3', input_tokens: 900, output_tokens: 100 },
  { daysAgo: 5, provider: 'anthropic', model: 'claude-3-opus', feature: 'chat', user_id: 'customer-1', input_tokens: 1000, output_tokens: 200 },
  { daysAgo: 8, provider: 'openai', model: 'gpt-4o-mini', feature: 'summarize', user_id: 'customer-3', input_tokens: 7000, output_tokens: 600, metadata: { prompt_version: 'v1' } },
  { daysAgo: 13, provider: 'openai', model: 'gpt-4', feature: 'summarize', user_id: 'customer-2', input_tokens: 1000, output_tokens: 500 },
  { daysAgo: 21, provider: 'anthropic', model: 'claude-3-haiku', feature: 'classify', user_id: 'customer-1', input_tokens: 400, output_tokens: 20 },
  { daysAgo: 40, provider: 'openai', model: 'gpt-4o', feature: 'chat', user_id: 'customer-1', input_tokens: 3000, output_tokens: 900 },
  { daysAgo: 50, provider: 'openai', model: 'gpt-4', feature: 'summarize', user_id: 'customer-2', input_tokens: 2000, output_tokens: 700 },
  { daysAgo: 120, provider: 'openai', model: 'gpt-4', feature: 'chat', user_id: 'customer-9', input_tokens: 50_000, output_tokens: 9000 },
];

/** Today's calls sit one minute after midnight UTC (or just before now, right after midnight). */
export function seedTimestamp(daysAgo: number, now: number): number {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  if (daysAgo === 0) return Math.min(today + 60_000, now - 1000);
  return today - daysAgo * DAY_MS + 10 * 3_600_000;
}

export async function seedEvents(baseUrl: string, apiKey: string, now = Date.now()): Promise<SeededEvent[]> {
  const events = PLAN.map((p, i) => ({
    ...p,
    event_id: `seed-${i}-${p.daysAgo}d`,
    timestamp: new Date(seedTimestamp(p.daysAgo, now)).toISOString(),
  }));
  const res = await fetch(`${baseUrl}/api/events/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events: events.map(({ daysAgo, ...wire }) => wire) }),
  });
  if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { events: { event_id: string; cost_nanos: number | null }[] };
  return events.map((e, i) => ({ ...e, ts: Date.parse(e.timestamp), cost_nanos: body.events[i].cost_nanos }));
}
