import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../src/components/format';
import { api, type Dashboard, inLastDays, logIn, openPage, sumUsd, useDashboard, watch } from './harness';

const d = useDashboard();
let org: { id: string; name: string };

beforeAll(async () => {
  org = (await api<{ org: { id: string; name: string } }>(d, '/api/me')).body.org;
});

async function signUp(d: Dashboard, person: { email: string; password: string }) {
  const res = await fetch(`${d.server.baseUrl}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(person),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { org: { id: string; name: string }; project: { id: string } };
}

/** The signed-up owner invites `email` from Settings; the link shown once. */
async function invite(page: Page, email: string, role: string): Promise<string> {
  await page.getByLabel('Email to invite').fill(email);
  await page.getByLabel('Invite as').selectOption(role);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const notice = page.getByTestId('new-invitation').filter({ hasText: email });
  await notice.waitFor();
  return (await notice.getByTestId('invite-url').textContent())?.trim() ?? '';
}

describe('teams in a real browser', () => {
  it('an admin invites a viewer, who joins with a new account, sees the spend and cannot change budgets', async () => {
    const admin = await openPage(d, '/settings');
    const viewerEmail = `viewer-${Date.now()}@example.com`;
    const link = await invite(admin, viewerEmail, 'viewer');
    expect(link.startsWith(`${d.server.baseUrl}/invite?token=`)).toBe(true);
    // No SMTP on the test server: the link is only shown, not emailed.
    expect(await admin.getByTestId('invitation-emailed').count()).toBe(0);
    await admin.locator(`tr[data-invitation-email="${viewerEmail}"]`).waitFor();

    const own = await d.browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    const page = watch(await own.newPage());
    await page.goto(link);
    expect(await page.getByTestId('invite-org').textContent()).toBe(org.name);
    expect(await page.getByTestId('invite-email').textContent()).toBe(viewerEmail);
    expect(await page.getByTestId('invite-role').textContent()).toBe('viewer');
    await page.getByLabel('Name (optional)').fill('Vera Viewer');
    await page.getByLabel('Password').fill('viewer password 1');
    await page.getByRole('button', { name: 'Create account and join' }).click();

    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).searchParams.get('project_id')).toBe(d.projectId);
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe(formatUsd(sumUsd(inLastDays(d, 30))));

    await page.getByRole('link', { name: 'Budgets & alerts' }).click();
    const newBudget = page.getByRole('button', { name: 'New budget' });
    await newBudget.waitFor();
    expect(await newBudget.isDisabled()).toBe(true);
    const reason = page.getByTestId('permission-note').filter({ hasText: 'budgets' });
    expect(await reason.textContent()).toBe(`Viewers can't change budgets: ask an admin of ${org.name}.`);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText('The audit log is for admins').waitFor();
    await own.close();

    await admin.reload();
    const row = admin.locator(`tr[data-member-email="${viewerEmail}"]`);
    await row.waitFor();
    expect(await row.getByRole('combobox', { name: `Role of ${viewerEmail}` }).inputValue()).toBe('viewer');
    expect(await row.getByRole('rowheader').textContent()).toContain('Vera Viewer');
    await admin.getByTestId('members-table').waitFor();
    expect(await admin.locator(`tr[data-invitation-email="${viewerEmail}"]`).count()).toBe(0);

    await admin.getByRole('main').getByRole('link', { name: 'Audit log' }).click();
    await admin.getByLabel('Action').selectOption('invitation.created');
    await admin.getByRole('button', { name: 'Apply' }).click();
    const entry = admin.locator('tr[data-action="invitation.created"]').filter({ hasText: viewerEmail });
    await entry.waitFor();
    expect(await entry.locator('td').nth(1).textContent()).toContain(d.email);
    expect(await entry.getByTestId('audit-diff').textContent()).toContain('role: viewer');
    await admin.close();
  });

  it('a revoked invitation link tells the visitor it can no longer be used', async () => {
    const admin = await openPage(d, '/settings');
    const email = `late-${Date.now()}@example.com`;
    const link = await invite(admin, email, 'member');
    const pending = admin.locator(`tr[data-invitation-email="${email}"]`);
    await pending.getByRole('button', { name: 'Revoke' }).click();
    await pending.getByRole('button', { name: `Revoke invitation for ${email}` }).click();
    await pending.waitFor({ state: 'detached' });
    await admin.close();

    const own = await d.browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    const page = watch(await own.newPage());
    const lookup = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/invitations/lookup');
    await page.goto(link);
    expect((await lookup).status()).toBe(410);
    await page.getByRole('heading', { name: 'This invitation can no longer be used' }).waitFor();
    expect((await page.getByTestId('invite-problem').textContent())?.length).toBeGreaterThan(0);
    expect(await page.getByLabel('Password').count()).toBe(0);
    await own.close();
  });

  it('a signed-in person joins with one click, then switches between their two orgs', async () => {
    const person = { email: `member-${Date.now()}@example.com`, password: 'member password 1' };
    const theirs = await signUp(d, person);

    const admin = await openPage(d, '/settings');
    const link = await invite(admin, person.email, 'member');
    await admin.close();

    const { own, page } = await logIn(d, person);
    await page.goto(link);
    await page.getByRole('button', { name: `Join ${org.name}` }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).searchParams.get('project_id')).toBe(d.projectId);
    const switcher = page.getByRole('combobox', { name: 'Organisation' });
    await expect.poll(() => switcher.inputValue()).toBe(org.id);

    // A member makes keys, but only ingest and read ones.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Key name').waitFor();
    expect(await page.getByRole('checkbox', { name: /^admin/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /^ingest/ }).isDisabled()).toBe(false);

    await switcher.selectOption(theirs.org.id);
    await page.waitForURL((url) => url.searchParams.get('project_id') === theirs.project.id);
    expect(new URL(page.url()).pathname).toBe('/settings');
    await expect.poll(() => page.getByTestId('my-role').textContent()).toBe('owner');
    expect(await page.getByRole('checkbox', { name: /^admin/ }).isDisabled()).toBe(false);
    await own.close();
  });

  it('a signed-out person with an account joins with its password, and a wrong one is refused', async () => {
    const person = { email: `returning-${Date.now()}@example.com`, password: 'returning password 1' };
    await signUp(d, person);
    const admin = await openPage(d, '/settings');
    const link = await invite(admin, person.email, 'admin');
    await admin.close();

    const own = await d.browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    const page = watch(await own.newPage());
    await page.goto(link);
    await page.getByText(`${person.email} already has an LLMLab account`).waitFor();
    expect(await page.getByLabel('Name (optional)').count()).toBe(0);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in and join' }).click();
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/invite');

    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Log in and join' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).searchParams.get('project_id')).toBe(d.projectId);
    await page.getByRole('link', { name: 'Budgets & alerts' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'New budget' }).isEnabled()).toBe(true);
    await own.close();
  });
});
