import { createHmac } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inLastDays, openPage, SCREENSHOTS, sumUsd, useDashboard } from './harness';

const d = useDashboard();

describe('budgets and alerts in a real browser', () => {
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
      const page = await openPage(d, '/budgets');
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
      }, d.projectId);
      expect(status).toBe(200);

      const percent = Math.floor((sumUsd(inLastDays(d, 1)) / 0.01) * 100);
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
});
