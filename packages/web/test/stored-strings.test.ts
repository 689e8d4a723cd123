import { describe, expect, it } from 'vitest';
import { openPage, trackBatch, useDashboard } from './harness';

const d = useDashboard();

// Strings an attacker with an ingest key can store: each would run script if rendered as HTML.
const HOSTILE = {
  feature: '<script>window.__pwned = 1</script>',
  model: '<img src=x onerror="window.__pwned = 2">',
  user_id: '"><svg onload="window.__pwned = 3">',
};

describe('stored strings render as text in the dashboard', () => {
  it('shows script and event-handler strings from the API literally on the events page and in the event drawer, and runs none', async () => {
    const eventId = 'hostile-strings-1';
    await trackBatch(d, d.apiKey, [{ event_id: eventId, provider: 'openai', input_tokens: 10, output_tokens: 5, metadata: { note: HOSTILE.feature }, tags: { team: HOSTILE.model }, ...HOSTILE }]);
    const page = await openPage(d, `/events?feature=${encodeURIComponent(HOSTILE.feature)}`);
    const row = page.locator(`tr[data-event-id="${eventId}"]`);
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain(HOSTILE.model);
    expect(rowText).toContain(HOSTILE.feature);

    await row.locator('button').click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByTestId('event-fields').textContent()).toContain(HOSTILE.user_id);
    expect(JSON.parse((await drawer.getByTestId('event-metadata').textContent()) ?? '{}')).toEqual({ note: HOSTILE.feature });

    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"], svg[onload], [onerror]').count()).toBe(0);
    expect(await page.locator('script').evaluateAll((scripts) => scripts.filter((s) => s.textContent?.includes('__pwned')).length)).toBe(0);
    await page.close();
  });
});
