import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCount, formatPercent, formatUsd } from '../src/components/format';
import { api, DAY_MS, openPage, SCREENSHOTS, trackBatch, useDashboard } from './harness';

const d = useDashboard();
const MINUTE = 60_000;

interface BreakdownRow {
  key: string | null;
  spend: number;
  spend_nanos: number;
  calls: number;
}

/** A session token of the signed-up user, for what an API key with ingest and read may not do (budgets). */
async function sessionToken(): Promise<string> {
  const res = await fetch(`${d.server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: d.email, password: d.password }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('sessions and customers in a real browser', () => {
  it('lists sessions by cost and opens one as a timeline of its calls in order, with the running total', async () => {
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE).toISOString();
    // gpt-4 1,000 in + 500 out: $0.06; claude-3-haiku 1,000 in + 1,000 out: $0.0015; gpt-4o-mini 1,000 in + 100 out: $0.00021.
    const tracked = await trackBatch(d, d.apiKey, [
      { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, session_id: 'trip-planner-1', user_id: 'acme', feature: 'plan', timestamp: at(30), event_id: 'trip-1' },
      { provider: 'anthropic', model: 'claude-3-haiku', input_tokens: 1000, output_tokens: 1000, session_id: 'trip-planner-1', user_id: 'acme', feature: 'tool', timestamp: at(29), event_id: 'trip-2' },
      { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, session_id: 'trip-planner-1', user_id: 'acme', feature: 'plan', timestamp: at(28), event_id: 'trip-3' },
      { provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 100, session_id: 'support-chat-9', user_id: 'globex', feature: 'chat', timestamp: at(10), event_id: 'chat-1' },
    ]);
    expect(tracked.map((e) => e.cost_nanos)).toEqual([60_000_000, 1_500_000, 60_000_000, 210_000]);

    const page = await openPage(d, '/sessions');
    await page.getByRole('heading', { name: 'Sessions', exact: true }).waitFor();
    const table = page.getByTestId('sessions-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')))).toEqual(['trip-planner-1', 'support-chat-9']);
    const trip = table.locator('tr[data-session="trip-planner-1"]');
    expect(await trip.getByTestId('session-cost').textContent()).toBe(formatUsd(0.1215));
    expect(await trip.getByTestId('session-calls').textContent()).toBe('3');
    expect(await trip.getByTestId('session-user').textContent()).toBe('acme');
    expect(await trip.textContent()).toContain('anthropic/claude-3-haiku, openai/gpt-4');
    await page.getByRole('link', { name: 'Most recent' }).click();
    await expect.poll(() => table.locator('tbody tr').first().getAttribute('data-session')).toBe('support-chat-9');
    await page.screenshot({ path: join(SCREENSHOTS, 'sessions.png'), fullPage: true });

    await table.getByRole('link', { name: 'trip-planner-1' }).click();
    await page.getByRole('heading', { name: 'Session trip-planner-1' }).waitFor();
    expect(new URL(page.url()).searchParams.get('session')).toBe('trip-planner-1');
    expect(await page.getByTestId('session-total-cost').textContent()).toBe(formatUsd(0.1215));
    expect(await page.getByTestId('session-total-calls').textContent()).toBe('3');
    const timeline = page.getByTestId('session-timeline');
    expect(await timeline.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')))).toEqual(['trip-1', 'trip-2', 'trip-3']);
    expect(await timeline.getByTestId('call-cost').allTextContents()).toEqual([formatUsd(0.06), formatUsd(0.0015), formatUsd(0.06)]);
    expect(await timeline.getByTestId('call-running').allTextContents()).toEqual([formatUsd(0.06), formatUsd(0.0615), formatUsd(0.1215)]);
    expect(await timeline.locator('tbody tr td').first().textContent()).toBe('+0s');
    expect(await timeline.locator('tbody tr').nth(2).locator('td').first().textContent()).toBe('+2m 00s');
    await page.screenshot({ path: join(SCREENSHOTS, 'session-timeline.png'), fullPage: true });
    await page.getByRole('link', { name: '← All sessions' }).click();
    await table.waitFor();
    await page.close();
  });

  it("shows each customer's spend, share of the project's spend, change and the budget that applies to them", async () => {
    const token = await sessionToken();
    const budget = await fetch(`${d.server.baseUrl}/api/budgets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme plan', amount: 5, period: 'monthly', scope: { end_user: 'acme' } }),
    });
    expect(budget.status).toBe(201);
    const acmeBudget = (await budget.json()) as { status: { spent: number; percentage: number } };
    expect(acmeBudget.status.spent).toBe(0.1215);

    // The page's range: the last 30 UTC days, today included (the browser runs in UTC).
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const range = `from=${new Date(today - 29 * DAY_MS).toISOString()}&to=${new Date(today + DAY_MS).toISOString()}&tz=UTC`;
    const byUser = (await api<{ rows: BreakdownRow[] }>(d, `/api/costs/breakdown?${range}&group_by=user`)).body.rows;
    const project = (await api<{ total_nanos: number }>(d, `/api/costs/breakdown?${range}&group_by=provider`)).body.total_nanos;
    const acme = byUser.find((r) => r.key === 'acme');
    expect(acme).toMatchObject({ spend_nanos: 121_500_000, calls: 3 });

    const page = await openPage(d, '/customers?days=30');
    const table = page.getByTestId('customers-table');
    await table.waitFor();
    expect(await page.getByTestId('project-spend').textContent()).toBe(formatUsd(project / 1e9));
    expect(await table.locator('tbody tr').count()).toBe(byUser.length);
    for (const r of byUser) {
      const row = table.locator(`tr[data-customer="${r.key}"]`);
      expect(await row.getByTestId('customer-spend').textContent()).toContain(formatUsd(r.spend));
      expect(await row.getByTestId('customer-share').textContent()).toBe(formatPercent((r.spend_nanos / project) * 100));
    }
    const acmeRow = table.locator('tr[data-customer="acme"]');
    // acme spent nothing in the 30 days before: new this period.
    expect(await acmeRow.getByTestId('customer-trend').textContent()).toBe('new');
    expect(await acmeRow.getByTestId('customer-budget').textContent()).toBe(`Acme plan: ${formatUsd(0.1215)} of ${formatUsd(5)} monthly${formatPercent(acmeBudget.status.percentage, 0)}`);
    expect(await table.locator('tr[data-customer="globex"]').getByTestId('customer-budget').textContent()).toBe('—');
    expect(await table.locator('tr[data-customer="(none)"]').count()).toBe(byUser.some((r) => r.key === '(none)') ? 1 : 0);
    expect(await page.getByTestId('customers-partial').count()).toBe(0);
    expect(await page.getByTestId('customer-count').textContent()).toBe(formatCount(byUser.filter((r) => r.key !== '(none)').length));
    await page.screenshot({ path: join(SCREENSHOTS, 'customers.png'), fullPage: true });

    // A customer's sessions, one click away.
    await acmeRow.getByRole('link', { name: 'sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions', exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('user_id')).toBe('acme');
    await expect.poll(() => page.getByTestId('sessions-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')))).toEqual(['trip-planner-1']);
    await page.close();
  });
});
