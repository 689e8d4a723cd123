import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, openPage, useDashboard, watch } from './harness';

const d = useDashboard();
let orgName: string;

beforeAll(async () => {
  orgName = (await api<{ org: { name: string } }>(d, '/api/me')).body.org.name;
});

interface ProviderKeyList {
  keys: { provider: string; hint: string }[];
}

interface GatewaySettings {
  fail_mode: 'open' | 'closed';
  azure_endpoint: string | null;
}

const storedKeys = async () => (await api<ProviderKeyList>(d, '/api/gateway/provider-keys')).body.keys;
const storedSettings = async () => (await api<GatewaySettings>(d, '/api/gateway/settings')).body;

function gatewaySection(page: Page) {
  return page.getByRole('region', { name: 'Gateway', exact: true });
}

async function storeProviderKey(page: Page, provider: string, key: string) {
  const form = gatewaySection(page).getByRole('form', { name: 'Store a provider key' });
  await form.getByRole('combobox').selectOption(provider);
  await form.getByLabel('Provider API key').fill(key);
  await form.getByRole('button', { name: 'Save key' }).click();
}

async function saveAzureEndpoint(page: Page, endpoint: string) {
  const form = gatewaySection(page).getByRole('form', { name: 'Azure OpenAI endpoint' });
  await form.getByRole('textbox').fill(endpoint);
  await form.getByRole('button', { name: 'Save endpoint' }).click();
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

describe('the gateway settings in a real browser', () => {
  it('an admin stores a Gemini key, sees only its last four characters, and removes it', async () => {
    const secret = `AIzaSy-gemini-test-${Date.now()}-Q7xZ`;
    const page = await openPage(d, '/settings');
    await storeProviderKey(page, 'google', secret);

    const row = gatewaySection(page).locator('tr[data-provider="google"]');
    await expect.poll(() => row.getByTestId('provider-key-hint').textContent()).toBe('...Q7xZ');
    expect(await row.getByRole('rowheader').textContent()).toBe('Google Gemini');
    expect(await gatewaySection(page).getByText('Google Gemini key saved.').count()).toBe(1);
    // Never shown again: not in the list, not left in the form.
    expect(await gatewaySection(page).getByLabel('Provider API key').inputValue()).toBe('');
    expect(await page.content()).not.toContain(secret);
    expect((await storedKeys()).find((k) => k.provider === 'google')?.hint).toBe('...Q7xZ');

    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Remove Google Gemini key' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await storedKeys()).map((k) => k.provider)).not.toContain('google');
    await page.reload();
    await gatewaySection(page).getByRole('form', { name: 'Store a provider key' }).waitFor();
    expect(await row.count()).toBe(0);
    await page.close();
  });

  it('an admin sets the Azure endpoint, which a bad endpoint does not change, and clears it', async () => {
    const endpoint = `https://contoso-${Date.now()}.openai.azure.com`;
    const page = await openPage(d, '/settings');
    const section = gatewaySection(page);
    const current = section.getByTestId('azure-endpoint-current');
    const input = section.getByRole('textbox', { name: 'Azure OpenAI endpoint' });
    // The server keeps one spelling, without the trailing slash.
    await saveAzureEndpoint(page, `${endpoint}/`);
    await expect.poll(() => current.textContent()).toBe(`Calls to /proxy/azure/ go to ${endpoint}.`);
    expect(await input.inputValue()).toBe(endpoint);
    expect((await storedSettings()).azure_endpoint).toBe(endpoint);
    await page.reload();
    await expect.poll(() => input.inputValue()).toBe(endpoint);

    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/gateway/settings' && r.request().method() === 'PATCH');
    await saveAzureEndpoint(page, 'https://contoso.example.com/openai');
    const refused = await answer;
    expect(refused.status()).toBe(400);
    const { message } = ((await refused.json()) as { error: { message: string } }).error;
    expect(message).toContain('azure_endpoint');
    await expect.poll(() => section.getByRole('form', { name: 'Azure OpenAI endpoint' }).getByRole('alert').textContent()).toBe(message);
    expect(await current.textContent()).toBe(`Calls to /proxy/azure/ go to ${endpoint}.`);
    expect((await storedSettings()).azure_endpoint).toBe(endpoint);
    await page.reload();
    await expect.poll(() => input.inputValue()).toBe(endpoint);

    await section.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => current.textContent()).toContain('No endpoint set');
    expect(await input.inputValue()).toBe('');
    expect((await storedSettings()).azure_endpoint).toBeNull();
    await page.close();
  });

  it('an admin makes the proxy fail closed, and back open', async () => {
    const page = await openPage(d, '/settings');
    const select = gatewaySection(page).getByRole('form', { name: 'Fail mode' }).getByRole('combobox');
    const save = gatewaySection(page).getByRole('button', { name: 'Save fail mode' });
    await select.selectOption('closed');
    await save.click();
    await expect.poll(async () => (await storedSettings()).fail_mode).toBe('closed');
    await page.reload();
    await expect.poll(() => select.inputValue()).toBe('closed');

    await select.selectOption('open');
    await save.click();
    await expect.poll(async () => (await storedSettings()).fail_mode).toBe('open');
    await page.close();
  });

  it('a viewer sees the stored keys and settings, and can change none of them', async () => {
    const endpoint = `https://viewer-${Date.now()}.openai.azure.com`;
    const admin = await openPage(d, '/settings');
    await storeProviderKey(admin, 'openai', 'sk-proj-viewer-test-9k2M');
    await gatewaySection(admin).locator('tr[data-provider="openai"]').waitFor();
    await saveAzureEndpoint(admin, endpoint);
    await expect.poll(async () => (await storedSettings()).azure_endpoint).toBe(endpoint);
    const link = await invite(admin, `gateway-viewer-${Date.now()}@example.com`, 'viewer');
    await admin.close();

    const own = await d.browser.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
    const page = watch(await own.newPage());
    await page.goto(link);
    await page.getByLabel('Password').fill('viewer password 1');
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();

    const section = gatewaySection(page);
    const row = section.locator('tr[data-provider="openai"]');
    await expect.poll(() => row.getByTestId('provider-key-hint').textContent()).toBe('...9k2M');
    expect(await section.getByTestId('permission-note').textContent()).toBe(`Viewers can't change gateway keys or settings: ask an admin of ${orgName}.`);
    expect(await section.getByRole('textbox', { name: 'Azure OpenAI endpoint' }).inputValue()).toBe(endpoint);
    const controls = [
      row.getByRole('button', { name: 'Remove' }),
      section.getByRole('form', { name: 'Store a provider key' }).getByRole('combobox'),
      section.getByLabel('Provider API key'),
      section.getByRole('button', { name: 'Save key' }),
      section.getByRole('textbox', { name: 'Azure OpenAI endpoint' }),
      section.getByRole('button', { name: 'Save endpoint' }),
      section.getByRole('button', { name: 'Clear', exact: true }),
      section.getByRole('form', { name: 'Fail mode' }).getByRole('combobox'),
      section.getByRole('button', { name: 'Save fail mode' }),
    ];
    for (const control of controls) expect(await control.isDisabled()).toBe(true);
    await own.close();
  });
});
