import { describe, expect, it } from 'vitest';
import { formatUsd } from '../src/components/format';
import { api, inLastDays, openPage, sumUsd, useDashboard, watch } from './harness';

const d = useDashboard();

describe('settings, quick start and sessions in a real browser', () => {
  it('creates an API key shown once, which works until it is revoked', async () => {
    const page = await openPage(d, '/settings');
    await page.getByLabel('Key name').fill('ci-reader');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^llmlab_/);
    expect((await api(d, '/api/costs/summary?days=7', secret)).status).toBe(200);

    const row = page.locator('tr[data-key-name="ci-reader"]');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revoke ci-reader' }).click();
    await row.getByText('revoked').waitFor();
    expect((await api(d, '/api/costs/summary?days=7', secret)).status).toBe(401);
    await page.close();
  });

  it('creates a project and switches between projects from the top bar on any page', async () => {
    const page = await openPage(d, '/settings');
    await page.getByLabel('New project name').fill('staging');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL((url) => url.searchParams.get('project_id') !== d.projectId);
    const stagingId = new URL(page.url()).searchParams.get('project_id');
    await expect.poll(() => page.getByRole('combobox', { name: 'Project' }).inputValue()).toBe(stagingId);

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('getting-started').waitFor();
    expect(await page.getByTestId('value-total').textContent()).toBe('$0.00');

    await page.getByRole('combobox', { name: 'Project' }).selectOption(d.projectId);
    await expect.poll(() => page.getByTestId('value-total').textContent()).toBe(formatUsd(sumUsd(inLastDays(d, 30))));
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });

  it('shows the quick start with this server’s address and a key placeholder', async () => {
    const page = await openPage(d, '/quickstart');
    expect(await page.getByTestId('base-url').textContent()).toBe(d.server.baseUrl);
    expect(await page.getByTestId('snippet-sdk').textContent()).toContain(`baseUrl: '${d.server.baseUrl}'`);
    expect(await page.getByTestId('snippet-proxy').textContent()).toContain(`${d.server.baseUrl}/proxy/openai/v1`);
    const clients = (await page.getByTestId('snippet-proxy-clients').textContent()) ?? '';
    expect(clients).toContain(`baseUrl: '${d.server.baseUrl}/proxy/google'`);
    expect(clients).toContain(`endpoint: '${d.server.baseUrl}/proxy/azure'`);
    // Groq's upstream already ends in /openai: the client's base is /proxy/groq/v1.
    expect(clients).toContain(`baseURL: '${d.server.baseUrl}/proxy/groq/v1'`);
    expect(clients).toContain("'x-llmlab-key': 'llmlab_YOUR_API_KEY'");
    expect(await page.getByTestId('snippet-cli').textContent()).toContain('llmlab_YOUR_API_KEY');
    await page.close();
  });

  it('logs out and back in with the keyboard', async () => {
    const own = await d.browser.newContext({ timezoneId: 'UTC' });
    const page = watch(await own.newPage());
    await page.goto(`${d.server.baseUrl}/login`);
    await page.getByLabel('Email').focus();
    await page.keyboard.type(d.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(d.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    const me = await page.evaluate(async () => (await fetch('/api/me', { credentials: 'same-origin' })).status);
    expect(me).toBe(401);
    await page.goto(`${d.server.baseUrl}/events`);
    await page.waitForURL('**/login');
    await own.close();
  });
});
