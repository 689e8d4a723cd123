import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../src/components/format';
import { api, inLastDays, openPage, SCREENSHOTS, sumUsd, useDashboard, watch } from './harness';

const d = useDashboard();

async function chartSeries(page: Page): Promise<string[]> {
  const attr = await page.getByTestId('spend-chart').getAttribute('data-series');
  return (attr ?? '').split('|').filter(Boolean).sort();
}

async function firstColumn(page: Page, testId: string): Promise<string[]> {
  return (await page.getByTestId(testId).locator('tbody tr th').allTextContents()).map((t) => t.trim());
}

describe('the overview in a real browser', () => {
  it('shows the same totals as GET /api/costs/summary for the last 30 days, with the change from the data', async () => {
    const page = await openPage(d, '/');
    await page.getByTestId('spend-chart').waitFor();
    const { body: summary } = await api<{
      total_spend: number;
      this_month_spend: number;
      today_spend: number;
      unpriced_calls: number;
    }>(d, '/api/costs/summary?days=30&tz=UTC');
    expect(summary.total_spend).toBeCloseTo(sumUsd(inLastDays(d, 30)), 9);
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe(formatUsd(summary.total_spend));
    expect(await page.getByTestId('value-month').textContent()).toBe(formatUsd(summary.this_month_spend));
    expect(await page.getByTestId('value-today').textContent()).toBe(formatUsd(summary.today_spend));

    // The previous 30 days hold the two calls placed 40 and 50 days ago.
    const previous = d.seeded.filter((e) => e.daysAgo >= 30 && e.daysAgo < 60);
    const change = ((summary.total_spend - sumUsd(previous)) / sumUsd(previous)) * 100;
    const changeText = await page.getByTestId('card-total').getByTestId('change').textContent();
    expect(changeText).toContain(`${Math.abs(change).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`);
    expect(changeText).toContain(formatUsd(sumUsd(previous)));

    expect(summary.unpriced_calls).toBe(1);
    expect(await page.getByTestId('unpriced-notice').textContent()).toContain('1 call could not be priced');
    // Nothing was answered from the response cache: no "saved by cache" card (cache-savings.test.ts shows one).
    expect(await page.getByTestId('card-saved').count()).toBe(0);
    await page.close();
  });

  it('switches the chart grouping and keeps it in the URL', async () => {
    const page = await openPage(d, '/');
    await page.getByTestId('spend-chart').waitFor();
    const recent = inLastDays(d, 30);
    expect(await chartSeries(page)).toEqual([...new Set(recent.map((e) => `${e.provider}/${e.model}`))].sort());

    await page.getByRole('button', { name: 'By provider' }).click();
    await expect.poll(() => chartSeries(page)).toEqual(['anthropic', 'openai']);
    expect(new URL(page.url()).searchParams.get('group_by')).toBe('provider');

    await page.getByRole('button', { name: 'By feature' }).click();
    await expect.poll(() => chartSeries(page)).toEqual([...new Set(recent.map((e) => e.feature))].sort());
    await page.close();
  });

  it('filters every widget by feature, and a shared link shows the same view', async () => {
    const page = await openPage(d, '/');
    await page.getByTestId('spend-chart').waitFor();
    await page.locator('select[name="feature"]').selectOption('summarize');
    expect(new URL(page.url()).searchParams.get('feature')).toBe('summarize');

    const summarize = inLastDays(d, 30).filter((e) => e.feature === 'summarize');
    const models = [...new Set(summarize.map((e) => `${e.provider}/${e.model}`))].sort();
    await expect.poll(() => chartSeries(page)).toEqual(models);
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe(formatUsd(sumUsd(summarize)));
    expect((await firstColumn(page, 'top-models')).sort()).toEqual([...new Set(summarize.map((e) => e.model))].sort());
    expect(await firstColumn(page, 'top-features')).toEqual(['summarize']);

    const shared = watch(await d.context.newPage());
    await shared.goto(page.url());
    await expect.poll(() => shared.getByTestId('value-total').textContent()).toBe(formatUsd(sumUsd(summarize)));
    expect(await shared.locator('select[name="feature"]').inputValue()).toBe('summarize');
    await shared.close();
    await page.close();
  });

  it('creates a budget and shows its gauge with the month’s spend', async () => {
    const page = await openPage(d, '/budgets');
    await page.getByRole('button', { name: 'New budget' }).first().click();
    const form = page.getByRole('form', { name: 'New budget' });
    await form.getByLabel('Name (optional)').fill('Team monthly');
    await form.getByLabel('Amount (USD)').fill('0.2');
    await form.getByRole('button', { name: 'Create budget' }).click();
    const gauge = page.getByTestId('budget-gauge').filter({ hasText: 'Team monthly' });
    await gauge.waitFor();

    const { body } = await api<{ budgets: { name: string; status: { spent: number; percentage: number } }[] }>(d, '/api/budgets');
    const budget = body.budgets.find((b) => b.name === 'Team monthly');
    const { body: summary } = await api<{ this_month_spend: number }>(d, '/api/costs/summary?days=30&tz=UTC');
    expect(budget?.status.spent).toBeCloseTo(summary.this_month_spend, 9);
    expect(await gauge.textContent()).toContain(`${formatUsd(summary.this_month_spend)} of $0.20`);
    expect(await gauge.getByTestId('gauge-percent').textContent()).toBe(
      `${(budget?.status.percentage ?? 0).toLocaleString('en-US', { maximumFractionDigits: 1 })}% used`,
    );

    const overview = await openPage(d, '/');
    await overview.getByTestId('budget-gauge').filter({ hasText: 'Team monthly' }).waitFor();
    await overview.getByTestId('spend-chart').waitFor();
    await overview.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
    await overview.close();
    await page.close();
  });
});
