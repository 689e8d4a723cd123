import { type ServerProcess, startServerProcess } from '@llmlab/server/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { ensureWebBuild } from './build';

/** What a browser reports as wrong on a page: console errors (Chromium logs every 4xx answer as one), script errors, and the 4xx/5xx answers themselves. */
function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return problems;
}

describe('a signed-out visit', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    server = await startServerProcess();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(['/', '/events?days=7', '/login', '/signup'])('to %s shows the sign-in screens with no console error', async (path) => {
    const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    try {
      const page = await context.newPage();
      const problems = recordProblems(page);
      const probe = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session');
      await page.goto(`${server.baseUrl}${path}`);
      expect((await probe).status()).toBe(200);
      if (path === '/signup') {
        await page.getByRole('button', { name: 'Sign up' }).waitFor();
      } else {
        await page.waitForURL('**/login');
        await page.getByRole('button', { name: 'Log in' }).waitFor();
      }
      // The page is done with the network once every request it started has its answer.
      await page.waitForLoadState('networkidle');
      expect(problems).toEqual([]);
      // Single sign-on is not set up on this server.
      expect(await page.getByRole('link', { name: 'Sign in with SSO' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
