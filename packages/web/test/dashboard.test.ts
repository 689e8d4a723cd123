import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../src/components/format';
import { launchChromium } from './browser';
import { ensureWebBuild, REPO_ROOT } from './build';
import { parseCsv } from './csv';
import { type SeededEvent, seedEvents } from './seed';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const PASSWORD = 'correct horse battery staple';
const DAY_MS = 86_400_000;

type Server = Awaited<ReturnType<typeof startServerProcess>>;
let server: Server;
let browser: Browser;
let context: BrowserContext;
let apiKey: string;
let email: string;
let projectId: string;
let seeded: SeededEvent[];
/** Script errors and Content-Security-Policy violations seen by any page of a test. */
let problems: string[] = [];

function watch(page: Page): Page {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return page;
}

/** Seeded calls in the last `days` UTC days, today included, as the overview counts them. */
function inLastDays(days: number, now = Date.now()): SeededEvent[] {
  const from = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  return seeded.filter((e) => e.ts >= from && e.ts <= now);
}

function sumUsd(events: SeededEvent[]): number {
  return events.reduce((n, e) => n + (e.cost_nanos ?? 0), 0) / 1e9;
}

async function api<T>(path: string, key = apiKey): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as T };
}

async function openPage(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = watch(await context.newPage());
  await page.setViewportSize(viewport);
  await page.goto(`${server.baseUrl}${path}${path.includes('?') ? '&' : '?'}project_id=${projectId}`);
  return page;
}

/** A browser of its own, logged in through the form as `user`. */
async function logIn(user: { email: string; password: string }): Promise<{ own: BrowserContext; page: Page }> {
  const own = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
  const page = watch(await own.newPage());
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  return { own, page };
}

async function chartSeries(page: Page): Promise<string[]> {
  const attr = await page.getByTestId('spend-chart').getAttribute('data-series');
  return (attr ?? '').split('|').filter(Boolean).sort();
}

async function firstColumn(page: Page, testId: string): Promise<string[]> {
  return (await page.getByTestId(testId).locator('tbody tr th').allTextContents()).map((t) => t.trim());
}

beforeAll(async () => {
  ensureWebBuild();
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Alerts go to a webhook receiver on this machine, which the server refuses unless allowed.
  server = await startServerProcess({ env: { LLMLAB_WEBHOOK_ALLOW_PRIVATE: 'true' } });
  browser = await launchChromium();
  context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB', acceptDownloads: true });

  // Sign up as a new user would: the root page sends a stranger to the log-in screen.
  const page = watch(await context.newPage());
  await page.goto(`${server.baseUrl}/`);
  await page.waitForURL('**/login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  email = `web-${Date.now()}@example.com`;
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByTestId('getting-started').waitFor();
  apiKey = (await page.getByTestId('first-key').textContent())?.trim() ?? '';
  projectId = new URL(page.url()).searchParams.get('project_id') ?? '';
  expect(apiKey).toMatch(/^llmlab_/);
  expect(projectId).not.toBe('');
  await page.close();

  seeded = await seedEvents(server.baseUrl, apiKey);
});

afterEach(() => {
  const seen = problems;
  problems = [];
  expect(seen).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('dashboard in a real browser', () => {
  it('shows the same totals as GET /api/costs/summary for the last 30 days, with the change from the data', async () => {
    const page = await openPage('/');
    await page.getByTestId('spend-chart').waitFor();
    const { body: summary } = await api<{
      total_spend: number;
      this_month_spend: number;
      today_spend: number;
      unpriced_calls: number;
    }>('/api/costs/summary?days=30&tz=UTC');
    expect(summary.total_spend).toBeCloseTo(sumUsd(inLastDays(30)), 9);
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe(formatUsd(summary.total_spend));
    expect(await page.getByTestId('value-month').textContent()).toBe(formatUsd(summary.this_month_spend));
    expect(await page.getByTestId('value-today').textContent()).toBe(formatUsd(summary.today_spend));

    // The previous 30 days hold the two calls placed 40 and 50 days ago.
    const previous = seeded.filter((e) => e.daysAgo >= 30 && e.daysAgo < 60);
    const change = ((summary.total_spend - sumUsd(previous)) / sumUsd(previous)) * 100;
    const changeText = await page.getByTestId('card-total').getByTestId('change').textContent();
    expect(changeText).toContain(`${Math.abs(change).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`);
    expect(changeText).toContain(formatUsd(sumUsd(previous)));

    expect(summary.unpriced_calls).toBe(1);
    expect(await page.getByTestId('unpriced-notice').textContent()).toContain('1 call could not be priced');
    await page.close();
  });

  it('switches the chart grouping and keeps it in the URL', async () => {
    const page = await openPage('/');
    await page.getByTestId('spend-chart').waitFor();
    const recent = inLastDays(30);
    expect(await chartSeries(page)).toEqual([...new Set(recent.map((e) => `${e.provider}/${e.model}`))].sort());

    await page.getByRole('button', { name: 'By provider' }).click();
    await expect.poll(() => chartSeries(page)).toEqual(['anthropic', 'openai']);
    expect(new URL(page.url()).searchParams.get('group_by')).toBe('provider');

    await page.getByRole('button', { name: 'By feature' }).click();
    await expect.poll(() => chartSeries(page)).toEqual([...new Set(recent.map((e) => e.feature))].sort());
    await page.close();
  });

  it('filters every widget by feature, and a shared link shows the same view', async () => {
    const page = await openPage('/');
    await page.getByTestId('spend-chart').waitFor();
    await page.locator('select[name="feature"]').selectOption('summarize');
    expect(new URL(page.url()).searchParams.get('feature')).toBe('summarize');

    const summarize = inLastDays(30).filter((e) => e.feature === 'summarize');
    const models = [...new Set(summarize.map((e) => `${e.provider}/${e.model}`))].sort();
    await expect.poll(() => chartSeries(page)).toEqual(models);
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe(formatUsd(sumUsd(summarize)));
    expect((await firstColumn(page, 'top-models')).sort()).toEqual([...new Set(summarize.map((e) => e.model))].sort());
    expect(await firstColumn(page, 'top-features')).toEqual(['summarize']);

    const shared = watch(await context.newPage());
    await shared.goto(page.url());
    await expect.poll(() => shared.getByTestId('value-total').textContent()).toBe(formatUsd(sumUsd(summarize)));
    expect(await shared.locator('select[name="feature"]').inputValue()).toBe('summarize');
    await shared.close();
    await page.close();
  });

  it('lists events with their details and exports exactly the filtered rows as CSV', async () => {
    const page = await openPage('/events?feature=summarize');
    await page.getByTestId('events-table').waitFor();
    const expected = inLastDays(30)
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

  it('creates a budget and shows its gauge with the month’s spend', async () => {
    const page = await openPage('/budgets');
    await page.getByRole('button', { name: 'New budget' }).first().click();
    const form = page.getByRole('form', { name: 'New budget' });
    await form.getByLabel('Name (optional)').fill('Team monthly');
    await form.getByLabel('Amount (USD)').fill('0.2');
    await form.getByRole('button', { name: 'Create budget' }).click();
    const gauge = page.getByTestId('budget-gauge').filter({ hasText: 'Team monthly' });
    await gauge.waitFor();

    const { body } = await api<{ budgets: { name: string; status: { spent: number; percentage: number } }[] }>('/api/budgets');
    const budget = body.budgets.find((b) => b.name === 'Team monthly');
    const { body: summary } = await api<{ this_month_spend: number }>('/api/costs/summary?days=30&tz=UTC');
    expect(budget?.status.spent).toBeCloseTo(summary.this_month_spend, 9);
    expect(await gauge.textContent()).toContain(`${formatUsd(summary.this_month_spend)} of $0.20`);
    expect(await gauge.getByTestId('gauge-percent').textContent()).toBe(
      `${(budget?.status.percentage ?? 0).toLocaleString('en-US', { maximumFractionDigits: 1 })}% used`,
    );

    const overview = await openPage('/');
    await overview.getByTestId('budget-gauge').filter({ hasText: 'Team monthly' }).waitFor();
    await overview.getByTestId('spend-chart').waitFor();
    await overview.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
    await overview.close();
    await page.close();
  });

  it('sends a crossed budget threshold to a webhook channel and lists it with its delivery', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const receiver: HttpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const page = await openPage('/budgets');
      const channelForm = page.getByRole('form', { name: 'New alert channel' });
      await channelForm.getByLabel('Name (optional)').fill('ops hook');
      await channelForm.getByLabel('URL').fill(hookUrl);
      await channelForm.getByRole('button', { name: 'Add channel' }).click();
      const secret = (await page.getByTestId('channel-secret').textContent())?.trim() ?? '';
      expect(secret).not.toBe('');
      await page.getByText(hookUrl).waitFor();

      // Today's calls cost more than half of a one-cent daily budget.
      await page.getByRole('button', { name: 'New budget' }).first().click();
      const form = page.getByRole('form', { name: 'New budget' });
      await form.getByLabel('Name (optional)').fill('Daily guard');
      await form.getByLabel('Amount (USD)').fill('0.01');
      await form.getByLabel('Period').selectOption('daily');
      await form.getByRole('button', { name: 'Create budget' }).click();
      await page.getByTestId('budget-gauge').filter({ hasText: 'Daily guard' }).waitFor();

      // The server checks every minute; an admin can ask now, as the session does here with its CSRF token.
      const status = await page.evaluate(async (pid) => {
        const csrf = document.cookie.match(/llmlab_csrf=([^;]+)/)?.[1] ?? '';
        const res = await fetch(`/api/alerts/evaluate?project_id=${pid}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'x-llmlab-csrf': decodeURIComponent(csrf), 'content-type': 'application/json' },
          body: '{}',
        });
        return res.status;
      }, projectId);
      expect(status).toBe(200);

      const percent = Math.floor((sumUsd(inLastDays(1)) / 0.01) * 100);
      const reached = [50, 80, 100].filter((t) => t <= percent);
      await page.reload();
      const rows = page.getByTestId('alerts-table').locator('tbody tr');
      await rows.first().waitFor();
      expect(await rows.filter({ hasText: '"Daily guard" reached' }).count()).toBe(reached.length);
      expect(await rows.filter({ hasText: `"Daily guard" reached ${reached[0]}%` }).textContent()).toContain('delivered');

      const hook = received.find((r) => r.body.includes('Daily guard'));
      const [t, v1] = String(hook?.headers['x-llmlab-signature'])
        .split(',')
        .map((p) => p.split('=')[1]);
      expect(createHmac('sha256', secret).update(`${t}.${hook?.body}`).digest('hex')).toBe(v1);
      await page.screenshot({ path: join(SCREENSHOTS, 'budgets.png'), fullPage: true });
      await page.close();
    } finally {
      receiver.close();
    }
  });

  it('creates an API key shown once, which works until it is revoked', async () => {
    const page = await openPage('/settings');
    await page.getByLabel('Key name').fill('ci-reader');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^llmlab_/);
    expect((await api('/api/costs/summary?days=7', secret)).status).toBe(200);

    const row = page.locator('tr[data-key-name="ci-reader"]');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revoke ci-reader' }).click();
    await row.getByText('revoked').waitFor();
    expect((await api('/api/costs/summary?days=7', secret)).status).toBe(401);
    await page.close();
  });

  it('saves the events page and fits a 390px phone screen without sideways scrolling', async () => {
    const events = await openPage('/events');
    await events.getByTestId('events-table').waitFor();
    await events.screenshot({ path: join(SCREENSHOTS, 'events.png'), fullPage: true });
    await events.close();
    for (const path of ['/', '/events', '/budgets', '/recommendations', '/settings', '/quickstart']) {
      const page = await openPage(path, { width: 390, height: 844 });
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      await page.close();
    }
  });

  it('creates a project and switches between projects from the top bar on any page', async () => {
    const page = await openPage('/settings');
    await page.getByLabel('New project name').fill('staging');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL((url) => url.searchParams.get('project_id') !== projectId);
    const stagingId = new URL(page.url()).searchParams.get('project_id');
    await expect.poll(() => page.getByRole('combobox', { name: 'Project' }).inputValue()).toBe(stagingId);

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('getting-started').waitFor();
    expect(await page.getByTestId('value-total').textContent()).toBe('$0.00');

    await page.getByRole('combobox', { name: 'Project' }).selectOption(projectId);
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe(formatUsd(sumUsd(inLastDays(30))));
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });

  it('filters events by end user typed in the filter bar', async () => {
    const page = await openPage('/events');
    await page.getByTestId('events-table').waitFor();
    await page.getByLabel('End user').fill('customer-2');
    await page.getByLabel('End user').press('Enter');
    const expected = inLastDays(30).filter((e) => e.user_id === 'customer-2');
    await expect.poll(() => page.getByTestId('events-table').locator('tbody tr').count()).toBe(expected.length);
    expect(new URL(page.url()).searchParams.get('user_id')).toBe('customer-2');
    await page.close();
  });

  it('shows the quick start with this server’s address and a key placeholder', async () => {
    const page = await openPage('/quickstart');
    expect(await page.getByTestId('base-url').textContent()).toBe(server.baseUrl);
    expect(await page.getByTestId('snippet-sdk').textContent()).toContain(`baseUrl: '${server.baseUrl}'`);
    expect(await page.getByTestId('snippet-proxy').textContent()).toContain(`${server.baseUrl}/proxy/openai/v1`);
    expect(await page.getByTestId('snippet-cli').textContent()).toContain('llmlab_YOUR_API_KEY');
    await page.close();
  });

  it('shows recommendations with their dollar savings, confidence and evidence', async () => {
    // A project of its own that spends enough on gpt-4 for advice to be worth giving.
    const user = await signupUser(server.baseUrl);
    const events = Array.from({ length: 24 }, (_, i) => ({
      provider: 'openai',
      model: 'gpt-4',
      input_tokens: 40_000,
      output_tokens: 1_500,
      feature: 'weekly-report',
      timestamp: new Date(Date.now() - (i + 1) * 6 * 3_600_000).toISOString(),
    }));
    const res = await fetch(`${server.baseUrl}/api/events/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);
    const { body: recs } = await api<{ title: string; estimated_monthly_savings: number; evidence: Record<string, unknown> }[]>(
      '/api/recommendations',
      user.apiKey,
    );
    expect(recs.length).toBeGreaterThan(0);

    const { own, page } = await logIn(user);
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
    const user = await signupUser(server.baseUrl);
    const res = await fetch(`${server.baseUrl}/api/events/track`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'openai',
        model: 'gpt-llmlab-unlisted',
        input_tokens: 1_000_000,
        output_tokens: 1_000_000,
        timestamp: new Date(Date.now() - 2 * DAY_MS).toISOString(),
      }),
    });
    expect(((await res.json()) as { priced: boolean }).priced).toBe(false);

    const { own, page } = await logIn(user);
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

  it('logs out and back in with the keyboard', async () => {
    const own = await browser.newContext({ timezoneId: 'UTC' });
    const page = watch(await own.newPage());
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Email').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    const me = await page.evaluate(async () => (await fetch('/api/me', { credentials: 'same-origin' })).status);
    expect(me).toBe(401);
    await page.goto(`${server.baseUrl}/events`);
    await page.waitForURL('**/login');
    await own.close();
  });
});
