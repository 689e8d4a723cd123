import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, openPage, trackBatch, useDashboard } from './harness';

const d = useDashboard();

async function chartSeries(page: Page): Promise<string[]> {
  const attr = await page.getByTestId('spend-chart').getAttribute('data-series');
  return (attr ?? '').split('|').filter(Boolean).sort();
}

describe('service tiers in a real browser', () => {
  it('stacks the overview chart by service tier and shows an event\'s tier in its details', async () => {
    // o3 on flex: 6,000 x $1 + 4,000 cached x $0.25 + 2,000 x $4; gpt-4o on batch: 1,000 x $1.25 + 100 x $5.
    const tracked = await trackBatch(d, d.apiKey, [
      { event_id: 'ui-flex', provider: 'openai', model: 'o3', input_tokens: 10_000, cached_input_tokens: 4000, output_tokens: 2000, service_tier: 'flex', feature: 'tier-ui' },
      { event_id: 'ui-batch', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, service_tier: 'batch', feature: 'tier-ui' },
    ]);
    expect(tracked.map((e) => e.cost_nanos)).toEqual([15_000_000, 1_750_000]);
    const { body } = await api<{ series: { key: string; total_nanos: number }[] }>(d, '/api/costs/timeseries?days=30&tz=UTC&group_by=service_tier');

    const page = await openPage(d, '/');
    await page.getByTestId('spend-chart').waitFor();
    await page.getByRole('button', { name: 'By service tier' }).click();
    expect(new URL(page.url()).searchParams.get('group_by')).toBe('service_tier');
    // The seeded calls named no tier: they are standard.
    await expect.poll(() => chartSeries(page)).toEqual(['batch', 'flex', 'standard']);
    expect(body.series.filter((s) => s.key !== 'standard').map((s) => [s.key, s.total_nanos])).toEqual([['flex', 15_000_000], ['batch', 1_750_000]]);
    await page.close();

    const events = await openPage(d, '/events?feature=tier-ui');
    await events.getByTestId('events-table').waitFor();
    await events.locator('tr[data-event-id="ui-flex"] button').click();
    const fields = events.getByRole('dialog').getByTestId('event-fields');
    await expect.poll(() => fields.textContent()).toContain('ui-flex');
    const text = (await fields.textContent()) ?? '';
    expect(text).toContain('Service tierflex');
    expect(text).toContain('tier:openai/flex/o3@2025-06-10');
    await events.close();
  });
});
