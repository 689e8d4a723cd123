import { signupUser } from '@llmlab/server/testing';
import { describe, expect, it } from 'vitest';
import { DAY_MS, logIn, trackBatch, useDashboard } from './harness';

const d = useDashboard();

describe('event retention in a real browser', () => {
  it('is set in Settings, removes expired events at once, and the events page says which range it still covers', async () => {
    const user = await signupUser(d.server.baseUrl);
    const now = Date.now();
    const call = { provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 100 };
    await trackBatch(d, user.apiKey, [
      { ...call, event_id: 'old-1', timestamp: new Date(now - 45 * DAY_MS).toISOString() },
      { ...call, event_id: 'old-2', timestamp: new Date(now - 60 * DAY_MS).toISOString() },
      { ...call, event_id: 'recent', timestamp: new Date(now - 2 * 3_600_000).toISOString() },
    ]);
    const { own, page } = await logIn(d, user);

    await page.goto(`${d.server.baseUrl}/settings`);
    const section = page.getByTestId('retention-section');
    await expect.poll(() => section.getByTestId('retention-state').textContent()).toBe('This project keeps raw events forever.');
    await section.getByLabel('Days to keep (empty: forever)').fill('30');
    await section.getByRole('button', { name: 'Save retention' }).click();
    await section.getByText('Saved.').waitFor();
    await expect.poll(() => section.getByTestId('retention-state').textContent()).toBe('This project keeps raw events for 30 days.');
    await section.getByRole('button', { name: 'Remove expired events now' }).click();
    await section.getByText('Removed 2 expired events.').waitFor();
    await expect.poll(() => section.getByTestId('retention-state').textContent()).toMatch(/^This project keeps raw events for 30 days\. Events before .+ were removed\.$/);

    await page.goto(`${d.server.baseUrl}/events?days=90`);
    await page.getByTestId('events-table').waitFor();
    await expect.poll(() => page.getByTestId('retention-notice').textContent()).toMatch(/^Events before .+ were removed by the 30-day retention; totals still include them\.$/);
    expect(await page.getByTestId('events-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')))).toEqual(['recent']);

    // The last 7 days were all kept: nothing to say.
    await page.goto(`${d.server.baseUrl}/events?days=7`);
    await page.getByTestId('events-table').waitFor();
    expect(await page.getByTestId('retention-notice').count()).toBe(0);
    await own.close();
  });
});
