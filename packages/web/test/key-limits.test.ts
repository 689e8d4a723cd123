import { describe, expect, it } from 'vitest';
import { openPage, useDashboard } from './harness';

const d = useDashboard();

describe('key limits and rate limits in a real browser', () => {
  it('creates a key with a $5 budget and 10 requests/min, and a rate limit, and sees both listed', async () => {
    const page = await openPage(d, '/settings');
    const form = page.getByRole('form', { name: 'New API key' });
    await form.getByLabel('Key name').fill('team-a');
    await form.getByLabel('Monthly budget (USD)').fill('5');
    await form.getByLabel('Requests per minute').fill('10');
    await form.getByLabel('Allowed models').fill('gpt-4o-mini, gpt-4o');
    await form.getByLabel('Expires on').fill('2099-12-31');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^llmlab_/);

    const limits = page.locator('tr[data-key-name="team-a"]').getByTestId('key-limits');
    await expect.poll(() => limits.locator('li').allTextContents()).toEqual([
      'Models: gpt-4o-mini, gpt-4o',
      'Expires: 31 Dec 2099',
      'Rate: 10 requests/min',
      'Budget: $0.00 of $5.00 monthly',
    ]);
    await page.close();

    const budgets = await openPage(d, '/budgets');
    const newLimit = budgets.getByRole('form', { name: 'New rate limit' });
    await newLimit.getByLabel('Rate limit name').fill('per-customer');
    await newLimit.getByLabel('Requests/min').fill('20');
    await newLimit.getByLabel('Cost/hour (USD)').fill('2.5');
    await newLimit.getByLabel('Per').selectOption('end_user');
    await newLimit.getByRole('button', { name: 'Create rate limit' }).click();
    const item = budgets.locator('[data-rate-limit-name="per-customer"]');
    await expect.poll(() => item.getByTestId('rate-limit-rates').textContent()).toBe('20 requests/min, $2.50/hour');
    expect(await item.locator('p').textContent()).toBe('Each end user has its own window; counts every call of the project');
    // The key's own rate limit is listed too: it is a rate limit scoped to that key.
    expect(await budgets.getByTestId('rate-limit-item').count()).toBe(2);

    await item.getByRole('button', { name: 'Delete' }).click();
    await item.getByRole('button', { name: 'Delete per-customer' }).click();
    await expect.poll(() => budgets.getByTestId('rate-limit-item').count()).toBe(1);
    await budgets.close();
  });
});
