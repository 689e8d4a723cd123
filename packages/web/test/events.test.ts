import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { signupUser } from '@llmlab/server/testing';
import { inLastDays, logIn, openPage, SCREENSHOTS, trackBatch, useDashboard } from './harness';

const d = useDashboard();

describe('the events page in a real browser', () => {
  it('lists events with their details and exports exactly the filtered rows as CSV', async () => {
    const page = await openPage(d, '/events?feature=summarize');
    await page.getByTestId('events-table').waitFor();
    const expected = inLastDays(d, 30)
      .filter((e) => e.feature === 'summarize')
      .sort((a, b) => b.ts - a.ts);
    await expect.poll(() => page.getByTestId('events-table').locator('tbody tr').count()).toBe(expected.length);

    const withMetadata = expected.find((e) => e.metadata);
    await page.locator(`tr[data-event-id="${withMetadata?.event_id}"] button`).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByTestId('event-fields').textContent()).toContain(withMetadata?.event_id);
    expect(JSON.parse((await drawer.getByTestId('event-metadata').textContent()) ?? '{}')).toEqual(withMetadata?.metadata);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const rows = parseCsv(await readFile((await download.path()) ?? '', 'utf8'));
    expect(rows.map((r) => r.event_id).sort()).toEqual(expected.map((e) => e.event_id).sort());
    for (const row of rows) {
      const e = expected.find((x) => x.event_id === row.event_id);
      expect(row.model).toBe(e?.model);
      expect(row.feature).toBe('summarize');
      expect(Number(row.input_tokens)).toBe(e?.input_tokens);
      expect(Math.round(Number(row.cost_usd) * 1e9)).toBe(e?.cost_nanos);
    }
    await page.close();
  });

  it('filters events by end user typed in the filter bar', async () => {
    const page = await openPage(d, '/events');
    await page.getByTestId('events-table').waitFor();
    await page.getByLabel('End user').fill('customer-2');
    await page.getByLabel('End user').press('Enter');
    const expected = inLastDays(d, 30).filter((e) => e.user_id === 'customer-2');
    await expect.poll(() => page.getByTestId('events-table').locator('tbody tr').count()).toBe(expected.length);
    expect(new URL(page.url()).searchParams.get('user_id')).toBe('customer-2');
    await page.close();
  });

  it('saves the events page and fits a 390px phone screen without sideways scrolling', async () => {
    const events = await openPage(d, '/events');
    await events.getByTestId('events-table').waitFor();
    await events.screenshot({ path: join(SCREENSHOTS, 'events.png'), fullPage: true });
    await events.close();
    for (const path of ['/', '/events', '/budgets', '/recommendations', '/settings', '/settings/audit', '/quickstart']) {
      const page = await openPage(d, path, { width: 390, height: 844 });
      await page.locator('main h1').waitFor();
      await expect.poll(() => page.locator('[role="status"].state-loading, .skeleton').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      await page.close();
    }
  });

  it('pages through events with the server cursor, forwards and back', async () => {
    const user = await signupUser(d.server.baseUrl);
    const now = Date.now();
    const events = Array.from({ length: 120 }, (_, i) => ({
      provider: 'openai',
      model: 'gpt-4o-mini',
      input_tokens: 100 + i,
      output_tokens: 10,
      event_id: `page-${String(i).padStart(3, '0')}`,
      timestamp: new Date(now - (i + 1) * 60_000).toISOString(),
    }));
    await trackBatch(d, user.apiKey, events);

    const { own, page } = await logIn(d, user);
    await page.getByRole('link', { name: 'Events' }).click();
    const ids = () => page.getByTestId('events-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
    const newestFirst = events.map((e) => e.event_id);
    await expect.poll(ids).toEqual(newestFirst.slice(0, 50));
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(ids).toEqual(newestFirst.slice(50, 100));
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(ids).toEqual(newestFirst.slice(100));
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(ids).toEqual(newestFirst.slice(50, 100));
    await own.close();
  });
});
