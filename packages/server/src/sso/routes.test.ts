import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { createApp } from '../app.js';

describe('the single sign-on pages', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app?.close());

  it('answer 404 with a page saying so when single sign-on is not set up, and the session probe says it is off', async () => {
    for (const path of ['/api/auth/sso/start', '/api/auth/sso/callback?code=c&state=s']) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('single sign-on is not set up on this server');
    }
    expect(await (await app.request('/api/session')).json()).toMatchObject({ sso: { enabled: false } });
  });

  it('say so when the identity provider cannot be reached, and set no cookie', async () => {
    // Port 1 on this machine: nothing listens there, so discovery fails at once.
    const oidc = { issuer: 'http://127.0.0.1:1', clientId: 'llmlab', allowedDomains: ['acme.test'], defaultRole: 'member' as const };
    const sso = createApp({ ...app.ctx, config: { ...app.ctx.config, oidc } });
    expect(await (await sso.request('/api/session')).json()).toMatchObject({ authenticated: false, sso: { enabled: true } });
    const res = await sso.request('/api/auth/sso/start');
    expect(res.status).toBe(502);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('the identity provider (http://127.0.0.1:1) could not be reached');
    // Without the cookie of a started sign-in, an answer from the provider is refused.
    const callback = await sso.request('/api/auth/sso/callback?code=c&state=s');
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('this sign-in expired or was started in another browser');
  });
});
