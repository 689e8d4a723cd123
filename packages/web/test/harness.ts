/**
 * One real server process, one Chromium and one user who signed up in the browser, with the
 * seeded calls of seed.ts, for a test file. Call `useDashboard()` at the top of the file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerProcess, startServerProcess } from '@llmlab/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser';
import { ensureWebBuild, REPO_ROOT } from './build';
import { type SeededEvent, seedEvents } from './seed';

export const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
export const DAY_MS = 86_400_000;
const PASSWORD = 'correct horse battery staple';

export interface Dashboard {
  server: ServerProcess;
  browser: Browser;
  /** The signed-up user's browser: its session cookie is shared by every page opened with openPage. */
  context: BrowserContext;
  apiKey: string;
  email: string;
  password: string;
  projectId: string;
  seeded: SeededEvent[];
}

export function useDashboard(options: { env?: Record<string, string> } = {}): Dashboard {
  const d = { password: PASSWORD } as Dashboard;
  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Alerts go to a webhook receiver on this machine, which the server refuses unless allowed.
    d.server = await startServerProcess({ env: { LLMLAB_WEBHOOK_ALLOW_PRIVATE: 'true', ...options.env } });
    d.browser = await launchChromium();
    d.context = await d.browser.newContext({ timezoneId: 'UTC', locale: 'en-GB', acceptDownloads: true });

    // Sign up as a new user would: the root page sends a stranger to the log-in screen.
    const page = watch(await d.context.newPage());
    await page.goto(`${d.server.baseUrl}/`);
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    d.email = `web-${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(d.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByTestId('getting-started').waitFor();
    d.apiKey = (await page.getByTestId('first-key').textContent())?.trim() ?? '';
    d.projectId = new URL(page.url()).searchParams.get('project_id') ?? '';
    expect(d.apiKey).toMatch(/^llmlab_/);
    expect(d.projectId).not.toBe('');
    await page.close();

    d.seeded = await seedEvents(d.server.baseUrl, d.apiKey);
  });
  afterEach(() => {
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });
  afterAll(async () => {
    await d.browser?.close();
    await d.server?.stop();
  });
  return d;
}

/** Script errors and Content-Security-Policy violations seen by any page of the current test. */
let problems: string[] = [];

export function watch(page: Page): Page {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return page;
}

/** Seeded calls in the last `days` UTC days, today included, as the overview counts them. */
export function inLastDays(d: Dashboard, days: number, now = Date.now()): SeededEvent[] {
  const from = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  return d.seeded.filter((e) => e.ts >= from && e.ts <= now);
}

export function sumUsd(events: SeededEvent[]): number {
  return events.reduce((n, e) => n + (e.cost_nanos ?? 0), 0) / 1e9;
}

export async function api<T>(d: Dashboard, path: string, key = d.apiKey): Promise<{ status: number; body: T }> {
  const res = await fetch(`${d.server.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as T };
}

/** A page of the signed-up user's project. */
export async function openPage(d: Dashboard, path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = watch(await d.context.newPage());
  await page.setViewportSize(viewport);
  await page.goto(`${d.server.baseUrl}${path}${path.includes('?') ? '&' : '?'}project_id=${d.projectId}`);
  return page;
}

/** A browser of its own, logged in through the form as `user`. */
export async function logIn(
  d: Dashboard,
  user: { email: string; password: string },
): Promise<{ own: BrowserContext; page: Page }> {
  const own = await d.browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
  const page = watch(await own.newPage());
  await page.goto(`${d.server.baseUrl}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  return { own, page };
}

/** Track events with a key; the answers in order. */
export async function trackBatch(d: Dashboard, key: string, events: Record<string, unknown>[]) {
  const res = await fetch(`${d.server.baseUrl}/api/events/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  if (!res.ok) throw new Error(`batch failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { events: { priced: boolean; cost_nanos: number | null }[] }).events;
}
