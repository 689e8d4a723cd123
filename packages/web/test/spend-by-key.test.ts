import { describe, expect, it } from 'vitest';
import { formatUsd } from '../src/components/format';
import { api, inLastDays, openPage, sumUsd, trackBatch, useDashboard } from './harness';

const d = useDashboard();

interface KeyRow {
  key: string | null;
  name: string;
  spend: number;
  created_by: { email: string } | null;
}

describe('spend per API key in a real browser', () => {
  it('groups the overview by API key: each key with its name, spend and creator', async () => {
    // A second key, made in the dashboard by the signed-up user.
    const settings = await openPage(d, '/settings');
    await settings.getByLabel('Key name').fill('nightly batch');
    await settings.getByRole('button', { name: 'Create key' }).click();
    const nightly = (await settings.getByTestId('new-key-value').textContent())?.trim() ?? '';
    expect(nightly).toMatch(/^llmlab_/);
    await settings.close();
    // gpt-4 at $30 / $60 per million tokens: 2 x (1,000 in + 500 out) = $0.12.
    const tracked = await trackBatch(d, nightly, [
      { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'batch' },
      { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'batch' },
    ]);
    expect(tracked.map((e) => e.cost_nanos)).toEqual([60_000_000, 60_000_000]);

    const { body } = await api<{ rows: KeyRow[] }>(d, '/api/costs/breakdown?days=30&tz=UTC&group_by=api_key');
    expect(body.rows.map((r) => [r.name, r.spend, r.created_by?.email])).toEqual([
      ['nightly batch', 0.12, d.email],
      ['Default key', sumUsd(inLastDays(d, 30)), d.email],
    ].sort((a, b) => Number(b[1]) - Number(a[1])));

    const page = await openPage(d, '/');
    await page.getByRole('button', { name: 'By API key' }).click();
    expect(new URL(page.url()).searchParams.get('group_by')).toBe('api_key');
    const table = page.getByTestId('spend-by-key');
    await table.waitFor();
    for (const [name, spend, unpriced] of [
      ['nightly batch', 0.12, 0],
      ['Default key', sumUsd(inLastDays(d, 30)), inLastDays(d, 30).filter((e) => e.cost_nanos === null).length],
    ] as const) {
      const row = table.locator(`tr[data-key-name="${name}"]`);
      expect((await row.locator('th').textContent())?.startsWith(name)).toBe(true);
      expect(await row.getByTestId('key-spend').textContent()).toBe(formatUsd(spend));
      expect(await row.getByText(/unpriced$/).count()).toBe(unpriced ? 1 : 0);
      expect(await row.getByTestId('key-creator').textContent()).toBe(d.email);
    }
    expect(await table.locator('tbody tr').count()).toBe(2);
    await page.close();
  });
});
