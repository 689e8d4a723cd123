import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatPercent, formatUsd } from '../src/components/format';
import { openPage, trackBatch, useDashboard } from './harness';

const d = useDashboard();

/** gpt-4o costs $2.50 per million input tokens and $10 per million output tokens. */
async function track(event: Record<string, unknown>): Promise<number | null> {
  const res = await fetch(`${d.server.baseUrl}/api/events/track`, {
    method: 'POST',
    headers: { authorization: `Bearer ${d.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'openai', model: 'gpt-4o', ...event }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { cost_nanos: number | null }).cost_nanos;
}

async function newBudget(page: Page, name: string, amount: string): Promise<Locator> {
  await page.getByRole('button', { name: 'New budget' }).first().click();
  const form = page.getByRole('form', { name: 'New budget' });
  await form.getByLabel('Name (optional)').fill(name);
  await form.getByLabel('Amount (USD)').fill(amount);
  return form;
}

/** Each row of a card's values table as its cells read. */
async function valueRows(card: Locator): Promise<string[][]> {
  const rows = card.getByTestId('budget-values').locator('tbody tr');
  return Promise.all((await rows.all()).map((row) => row.locator('th, td').allTextContents()));
}

/** A row as the card shows a value that spent `nanos` of a template of `amountNanos` each. */
function row(value: string, nanos: number, amountNanos: number, state: string): string[] {
  const percent = Math.round((nanos / amountNanos) * 10_000) / 100;
  return [value, formatUsd(nanos / 1e9), formatUsd(Math.max(0, amountNanos - nanos) / 1e9), formatPercent(percent), state];
}

describe('template budgets in a real browser', () => {
  it('gives each customer $5 a month and lists each customer with spend, remaining and state', async () => {
    expect(await track({ user_id: 'customer-a', input_tokens: 2_000_000, output_tokens: 0 })).toBe(5_000_000_000);
    expect(await track({ user_id: 'customer-b', input_tokens: 1_000_000, output_tokens: 150_000 })).toBe(4_000_000_000);

    const page = await openPage(d, '/budgets');
    const form = await newBudget(page, 'Each customer', '5');
    await form.getByLabel('each end user').check();
    await form.getByRole('button', { name: 'Create budget' }).click();
    const card = page.getByTestId('budget-item').filter({ hasText: 'Each customer' });
    await card.getByTestId('budget-values').waitFor();

    expect(await card.getByTestId('budget-scope').textContent()).toBe('Each end user has its own $5.00 a month');
    expect(await card.locator('.gauge-figures').textContent()).toBe('customer-a: $5.00 of $5.00 each');
    // The seeded customers' calls of this month (UTC, the budget's zone) count too, below the two.
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const seeded = new Map<string, number>();
    for (const e of d.seeded.filter((s) => s.ts >= monthStart && s.ts <= now.getTime())) {
      seeded.set(e.user_id, (seeded.get(e.user_id) ?? 0) + (e.cost_nanos ?? 0));
    }
    const others = [...seeded].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([u, n]) => row(u, n, 5e9, 'ok'));
    expect(await valueRows(card)).toEqual([
      ['customer-a', '$5.00', '$0.00', '100%', 'exceeded'],
      ['customer-b', '$4.00', '$1.00', '80%', 'alert'],
      ...others,
    ]);
    expect(await card.getByRole('button', { name: /^Show all/ }).count()).toBe(0);
    await page.close();
  });

  it('counts only calls with a tag, and pages through every feature with "show all"', async () => {
    // 53 features, feature i spending i x 1,000 gpt-4o input tokens = i x $0.0025.
    const events = Array.from({ length: 53 }, (_, i) => ({
      provider: 'openai',
      model: 'gpt-4o',
      input_tokens: (i + 1) * 1000,
      output_tokens: 0,
      feature: `nightly-${String(i + 1).padStart(2, '0')}`,
      tags: { batch: 'nightly' },
    }));
    const tracked = await trackBatch(d, d.apiKey, events);
    expect(tracked.map((e) => e.cost_nanos)).toEqual(events.map((_, i) => (i + 1) * 2_500_000));

    const page = await openPage(d, '/budgets');
    const form = await newBudget(page, 'Each nightly feature', '0.10');
    await form.getByLabel('each feature').check();
    await form.getByRole('button', { name: 'Add tag' }).click();
    await form.getByLabel('Tag 1 key').fill('batch');
    await form.getByLabel('Tag 1 value').fill('nightly');
    await form.getByRole('button', { name: 'Create budget' }).click();
    const card = page.getByTestId('budget-item').filter({ hasText: 'Each nightly feature' });
    await card.getByTestId('budget-values').waitFor();
    expect(await card.getByTestId('budget-scope').textContent()).toBe('Each feature has its own $0.10 a month, counting tag batch=nightly');

    // $0.10 each: from feature 40 ($0.10) on exceeded, from 32 ($0.08, the 80% alert threshold) alert.
    const state = (n: number) => (n >= 40 ? 'exceeded' : n >= 32 ? 'alert' : 'ok');
    const expected = events.map((e, i) => row(e.feature, (i + 1) * 2_500_000, 100_000_000, state(i + 1))).reverse();
    expect(await valueRows(card)).toEqual(expected.slice(0, 5));
    expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe('Top features this period');

    await card.getByRole('button', { name: 'Show all features' }).click();
    await expect.poll(async () => (await valueRows(card)).length).toBe(50);
    await card.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(async () => (await valueRows(card)).length).toBe(53);
    expect(await valueRows(card)).toEqual(expected);
    expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe('All features this period');
    expect(await card.getByRole('button', { name: 'Show more' }).count()).toBe(0);

    await card.getByRole('button', { name: 'Show the top 5' }).click();
    await expect.poll(async () => (await valueRows(card)).length).toBe(5);
    await page.close();
  });

  it("picks an API key from the project's keys, and an edit clears the key and the template", async () => {
    const page = await openPage(d, '/budgets');
    const form = await newBudget(page, 'Default key customers', '10');
    const keySelect = form.getByLabel('API key', { exact: true });
    await keySelect.locator('option', { hasText: /^Default key \(llmlab_/ }).waitFor({ state: 'attached' });
    await keySelect.selectOption({ index: 1 });
    await form.getByLabel('each end user').check();
    await form.getByRole('button', { name: 'Create budget' }).click();
    const card = page.getByTestId('budget-item').filter({ hasText: 'Default key customers' });
    await expect.poll(() => card.getByTestId('budget-scope').textContent()).toBe('Each end user has its own $10.00 a month, counting API key Default key');
    await card.getByTestId('budget-values').waitFor();

    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = card.getByRole('form', { name: 'Edit budget' });
    expect(await edit.getByLabel('each end user').isChecked()).toBe(true);
    await edit.getByLabel('API key', { exact: true }).selectOption('');
    await edit.getByLabel('all of it together').check();
    await edit.getByRole('button', { name: 'Save budget' }).click();
    await expect.poll(() => card.getByTestId('budget-scope').textContent()).toBe('Counts all spend');
    expect(await card.getByTestId('budget-values').count()).toBe(0);
    await page.close();
  });
});
