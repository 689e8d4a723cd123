import { startFakeCostApis, signupUser } from '@llmlab/server/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPercent, formatUsd } from '../src/components/format';
import { DAY_MS, logIn, trackBatch, useDashboard } from './harness';

// The server reads both providers' cost APIs from this local fake, in their documented formats.
const fake = await startFakeCostApis();
const d = useDashboard({ env: { LLMLAB_OPENAI_BASE_URL: fake.url, LLMLAB_ANTHROPIC_BASE_URL: fake.url } });
afterAll(() => fake.close());

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('billing reconciliation in a real browser', () => {
  it('connects OpenAI, reads the bill and shows what LLMLab never saw, settled days apart from recent ones', async () => {
    const user = await signupUser(d.server.baseUrl);
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const settledDay = dateOf(today - 3 * DAY_MS);
    const [call] = await trackBatch(d, user.apiKey, [
      { event_id: 'billed-call', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 100_000, output_tokens: 10_000, timestamp: `${settledDay}T09:00:00Z` },
    ]);
    const trackedNanos = call.cost_nanos as number;
    expect(trackedNanos).toBeGreaterThan(0);
    // The bill: the tracked call to the nanodollar, and $41 of web search LLMLab never saw.
    fake.openai[settledDay] = [
      { amount: { value: trackedNanos / 1e9, currency: 'usd' }, line_item: 'gpt-4o-mini-2024-07-18, input', project_id: 'proj_1' },
      { amount: { value: 41, currency: 'usd' }, line_item: 'web search tool calls', project_id: 'proj_1' },
    ];

    const { own, page } = await logIn(d, user);
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing reconciliation' }).waitFor();
    await page.getByText('No provider connected').waitFor();

    const form = page.getByRole('form', { name: "Connect a provider's bill" });
    await form.getByLabel('Admin key').fill(fake.openaiKey);
    await form.getByLabel('Alert at USD off').fill('10');
    await form.getByRole('button', { name: 'Save connection' }).click();
    await form.getByText('OpenAI saved.').waitFor();
    const connections = page.getByTestId('billing-connections');
    expect(await connections.getByTestId('billing-key-hint').textContent()).toBe(`...${fake.openaiKey.slice(-4)}`);
    expect(await page.content()).not.toContain(fake.openaiKey);

    await connections.getByRole('button', { name: 'Read the bills now' }).click();
    await connections.getByText('Read OpenAI (4 days).').waitFor();
    expect(fake.problems).toEqual([]);
    await expect.poll(() => connections.getByTestId('billing-sync').textContent()).toMatch(/^Read /);

    const card = page.getByTestId('billing-card-openai');
    await expect.poll(() => card.getByTestId('untracked').textContent()).toBe('$41.00 billed that LLMLab never saw: calls outside the SDK and proxy, or other projects on the OpenAI organization.');
    expect(await card.getByTestId('billed').textContent()).toBe(formatUsd((trackedNanos + 41e9) / 1e9));
    expect(await card.getByTestId('tracked').textContent()).toBe(formatUsd(trackedNanos / 1e9));

    const table = page.getByTestId('reconciliation-table');
    const settled = table.locator(`tr[data-day="${settledDay}"][data-provider="openai"]`);
    expect(await settled.getByTestId('day-status').textContent()).toBe('Settled');
    const pct = Math.round((41e9 / (41e9 + trackedNanos)) * 10_000) / 100;
    expect(await settled.getByTestId('day-difference').textContent()).toBe(`+$41.00 (${formatPercent(pct, 2)})`);
    const recent = table.locator(`tr[data-day="${dateOf(today)}"][data-provider="openai"]`);
    expect(await recent.getByTestId('day-status').textContent()).toBe('Not settled');

    // The day opens into its models: the call matched under LLMLab's model id, the tool line on its own.
    await settled.getByRole('button', { name: settledDay }).click();
    const rows = table.locator('tr.subrow');
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-model')))).toEqual(['web search tool calls', 'gpt-4o-mini']);
    await own.close();

    // A viewer of the org sees the same comparison, and the connection controls greyed out with the reason.
    const viewer = await joinAsViewer(user.token);
    const asViewer = await logIn(d, viewer);
    await asViewer.page.goto(`${d.server.baseUrl}/billing`);
    await expect.poll(() => asViewer.page.getByTestId('billing-card-openai').getByTestId('untracked').textContent()).toMatch(/^\$41\.00 billed that LLMLab never saw/);
    expect(await asViewer.page.getByTestId('permission-note').textContent()).toMatch(/^Viewers can't connect provider bills: ask an admin of /);
    expect(await asViewer.page.getByRole('button', { name: 'Save connection' }).isDisabled()).toBe(true);
    await asViewer.own.close();
  });
});

/** Invites a viewer into the org of `ownerToken` and accepts as them; their email and password. */
async function joinAsViewer(ownerToken: string): Promise<{ email: string; password: string }> {
  const email = `viewer-${Date.now()}@example.com`;
  const password = 'viewer password 123';
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${d.server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { invite_url: string };
  };
  const { invite_url } = await post('/api/invitations', { email, role: 'viewer' }, ownerToken);
  await post('/api/invitations/accept', { token: new URL(invite_url).searchParams.get('token'), password, name: 'A viewer' });
  return { email, password };
}
