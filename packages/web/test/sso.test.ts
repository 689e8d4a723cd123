import { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from '@llmlab/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser';
import { ensureWebBuild } from './build';
import { CLIENT_ID, CLIENT_SECRET, OTHER_CLIENT_ID, startTestIssuer, type TestIssuer } from './oidc-issuer';

interface MeBody {
  user: { id: string; email: string };
  org: { id: string };
  project: { id: string };
  role: string;
}

describe('single sign-on through an OpenID Connect provider, in a real browser', () => {
  let idp: TestIssuer;
  let server: ServerProcess;
  let browser: Browser;
  /** Signed up with a password before anyone used SSO: the oldest org, which SSO users join. */
  let owner: SignedUpUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    idp = await startTestIssuer();
    server = await startServerProcess({
      env: {
        LLMLAB_OIDC_ISSUER: idp.issuer,
        LLMLAB_OIDC_CLIENT_ID: CLIENT_ID,
        LLMLAB_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        LLMLAB_OIDC_ALLOWED_DOMAINS: 'acme.test, acme-labs.test',
        LLMLAB_OIDC_DEFAULT_ROLE: 'viewer',
      },
    });
    idp.register(`${server.baseUrl}/api/auth/sso/callback`);
    owner = await signupUser(server.baseUrl);
    browser = await launchChromium();
  });
  afterEach(async () => {
    idp.issueFor = null;
    idp.tamperState = false;
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await idp?.close();
  });

  /** A fresh browser on LLMLab's log-in page; the provider's page asks for fonts on the internet, which this machine cannot reach. */
  async function loginPage(): Promise<Page> {
    const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    contexts.push(context);
    await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    return page;
  }

  /** Clicks "Sign in with SSO" and goes through the provider's log-in and consent pages as `email`. */
  async function signInAtProvider(page: Page, email: string): Promise<void> {
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill('any password will do');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  /** LLMLab's answer to the provider's redirect, once the sign-in under way gets there. */
  function callbackAnswer(page: Page) {
    return page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/sso/callback');
  }

  async function me(page: Page, projectId?: string): Promise<{ status: number; body: MeBody }> {
    const res = await page.request.get(`${server.baseUrl}/api/me${projectId ? `?project_id=${projectId}` : ''}`);
    return { status: res.status(), body: (await res.json()) as MeBody };
  }

  async function session(page: Page): Promise<{ authenticated: boolean }> {
    return (await page.request.get(`${server.baseUrl}/api/session`)).json();
  }

  it('signs a new person in through the provider\'s log-in and consent pages, into the org, with the default role', async () => {
    const page = await loginPage();
    const email = `ada-${Date.now()}@acme.test`;
    const answer = callbackAnswer(page);
    await signInAtProvider(page, email);
    expect((await answer).status()).toBe(302);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).searchParams.get('project_id')).toBe(owner.projectId);

    const first = await me(page);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ user: { email }, org: { id: owner.orgId }, project: { id: owner.projectId }, role: 'viewer' });

    // The dashboard holds a viewer to reading: the budget form stays closed, with the reason beside it.
    await page.goto(`${server.baseUrl}/budgets?project_id=${owner.projectId}`);
    await expect.poll(() => page.getByRole('button', { name: 'New budget' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('permission-note').first().textContent()).toContain("can't change budgets");

    // The account has no password anyone knows: password log-in fails, with or without one.
    const login = (password: string) => page.request.post(`${server.baseUrl}/api/auth/login`, { data: { email, password }, failOnStatusCode: false });
    expect((await login('')).status()).toBe(400);
    expect((await login('any password will do')).status()).toBe(401);

    // Signing in again is the same person with the same role, not a second account.
    const again = await loginPage();
    await signInAtProvider(again, email);
    await again.getByRole('heading', { name: 'Overview' }).waitFor();
    expect((await me(again)).body).toMatchObject({ user: { id: first.body.user.id }, role: 'viewer' });
  });

  it('signs an existing account in as itself and adds it to the org, its password still working', async () => {
    const email = `grace-${Date.now()}@acme-labs.test`;
    const password = 'graces own password';
    const res = await fetch(`${server.baseUrl}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(res.status).toBe(201);
    const signedUp = (await res.json()) as { user: { id: string }; project: { id: string } };

    const page = await loginPage();
    await signInAtProvider(page, email);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect((await me(page, owner.projectId)).body).toMatchObject({ user: { id: signedUp.user.id, email }, org: { id: owner.orgId }, role: 'viewer' });
    // Their own org is still theirs.
    expect((await me(page, signedUp.project.id)).body).toMatchObject({ user: { id: signedUp.user.id }, role: 'owner' });
    const login = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(login.status).toBe(200);
  });

  it('refuses an answer whose state was tampered with, and signs no one in', async () => {
    idp.tamperState = true;
    const page = await loginPage();
    const answer = callbackAnswer(page);
    await signInAtProvider(page, `mallory-${Date.now()}@acme.test`);
    expect((await answer).status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toContain('state mismatch');
    expect(await session(page)).toMatchObject({ authenticated: false });
    // That answer used up the flow: the genuine one, arriving after it, is refused too.
    expect(idp.genuineAnswer).toContain('state=');
    expect((await page.goto(idp.genuineAnswer as string))?.status()).toBe(400);
    expect(await session(page)).toMatchObject({ authenticated: false });
  });

  it('refuses an ID token the issuer made for another client (wrong audience)', async () => {
    idp.issueFor = OTHER_CLIENT_ID;
    const page = await loginPage();
    const answer = callbackAnswer(page);
    await signInAtProvider(page, `trent-${Date.now()}@acme.test`);
    expect((await answer).status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('"aud" (audience)');
    expect(await session(page)).toMatchObject({ authenticated: false });
  });

  it('says so when the person cancels at the provider', async () => {
    const page = await loginPage();
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    const answer = callbackAnswer(page);
    await page.getByRole('link', { name: '[ Cancel ]' }).click();
    expect((await answer).status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toContain('the identity provider refused the sign-in: access_denied');
    await page.getByRole('link', { name: 'Back to log in' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });

  it('refuses an email outside the allowed domains with 403 and creates nothing', async () => {
    const page = await loginPage();
    const email = `eve-${Date.now()}@elsewhere.test`;
    const answer = callbackAnswer(page);
    await signInAtProvider(page, email);
    expect((await answer).status()).toBe(403);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(`${email} is not one`);
    expect(await session(page)).toMatchObject({ authenticated: false });
    // No account was made for the address: it can still sign up.
    const signup = await fetch(`${server.baseUrl}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'correct horse battery' }) });
    expect(signup.status).toBe(201);
  });
});
