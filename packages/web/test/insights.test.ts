import { signupUser } from '@llmlab/server/testing';
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../src/components/format';
import { api, DAY_MS, logIn, openPage, trackBatch, useDashboard } from './harness';

const d = useDashboard();

describe('recommendations and price overrides in a real browser', () => {
  it('shows recommendations with their dollar savings, confidence and evidence', async () => {
    // A project of its own that spends enough on gpt-4 for advice to be worth giving.
    const user = await signupUser(d.server.baseUrl);
    const events = Array.from({ length: 24 }, (_, i) => ({
      provider: 'openai',
      model: 'gpt-4',
      input_tokens: 40_000,
      output_tokens: 1_500,
      feature: 'weekly-report',
      timestamp: new Date(Date.now() - (i + 1) * 6 * 3_600_000).toISOString(),
    }));
    await trackBatch(d, user.apiKey, events);
    type Rec = { title: string; estimated_monthly_savings: number; evidence: Record<string, unknown> };
    const { body: recs } = await api<Rec[]>(d, '/api/recommendations', user.apiKey);
    expect(recs.length).toBeGreaterThan(0);

    const { own, page } = await logIn(d, user);
    await page.getByRole('link', { name: 'Recommendations' }).click();
    const cards = page.getByTestId('recommendation');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(recs.length);
    const first = cards.first();
    expect(await first.getByRole('heading').textContent()).toBe(recs[0].title);
    expect(await first.textContent()).toContain(`${formatUsd(recs[0].estimated_monthly_savings)}/month`);
    expect(await first.textContent()).toMatch(/confidence \d+%/);
    await first.getByText('Evidence').click();
    const firstKey = Object.keys(recs[0].evidence)[0];
    expect(await first.locator('.evidence dt').first().textContent()).toBe(firstKey.replaceAll('_', ' '));
    await own.close();
  });

  it('prices an unpriced model with an override, re-prices its calls and the overview counts them', async () => {
    const user = await signupUser(d.server.baseUrl);
    const [tracked] = await trackBatch(d, user.apiKey, [
      {
        provider: 'openai',
        model: 'gpt-llmlab-unlisted',
        input_tokens: 1_000_000,
        output_tokens: 1_000_000,
        timestamp: new Date(Date.now() - 2 * DAY_MS).toISOString(),
      },
    ]);
    expect(tracked.priced).toBe(false);

    const { own, page } = await logIn(d, user);
    await page.getByTestId('unpriced-notice').getByRole('link', { name: 'Add a price override' }).click();
    const form = page.getByRole('form', { name: 'New price override' });
    await form.getByLabel('Provider').fill('openai');
    await form.getByLabel('Model').fill('gpt-llmlab-unlisted');
    await form.getByLabel(/Effective from/).fill(new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10));
    await form.getByLabel('Input $/M tokens').fill('2');
    await form.getByLabel('Output $/M tokens').fill('8');
    await form.getByRole('button', { name: 'Add override' }).click();
    await page.getByTestId('overrides-table').getByText('openai/gpt-llmlab-unlisted').waitFor();
    await page.getByRole('button', { name: /Re-price/ }).click();
    await page.getByText('1 newly priced').waitFor();

    // 1M input tokens at $2 and 1M output tokens at $8 per million.
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe('$10.00');
    expect(await page.getByTestId('unpriced-notice').count()).toBe(0);
    await own.close();
  });

  it('tells a project with little spend that there is no advice yet, rather than inventing some', async () => {
    const { body } = await api<unknown[]>(d, '/api/recommendations');
    expect(body).toEqual([]);
    const page = await openPage(d, '/recommendations');
    await page.getByText('No recommendations yet').waitFor();
    expect(await page.getByTestId('recommendation').count()).toBe(0);
    await page.close();
  });
});
