import { describe, expect, it } from 'vitest';
import { json, newTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { useTestApp } from '../../test/helpers/test-app.js';

describe.each(databases())('GET /api/session on $name', ({ url }) => {
  const app = useTestApp({ url });

  it('answers 200 "signed out" to a visitor without a session, or with an ended one', async () => {
    const anonymous = await app.request('/api/session');
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ authenticated: false, me: null, sso: { enabled: false } });

    const t = await newTenant(app);
    expect((await app.request('/api/auth/logout', { method: 'POST', token: t.token })).status).toBe(200);
    const ended = await app.request('/api/session', { headers: { cookie: `llmlab_session=${t.token}` } });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ authenticated: false, me: null, sso: { enabled: false } });
    const forged = await app.request('/api/session', { token: 'llms_not-a-session' });
    expect(await forged.json()).toEqual({ authenticated: false, me: null, sso: { enabled: false } });
  });

  it('answers who is signed in, as GET /api/me does, from the session cookie', async () => {
    const t = await newTenant(app);
    const cookie = { cookie: `llmlab_session=${t.token}` };
    const session = await json<{ authenticated: boolean; me: { user: { email: string }; project: { id: string } } }>(app.request('/api/session', { headers: cookie }));
    expect(session).toMatchObject({ authenticated: true, me: { user: { email: t.email }, project: { id: t.projectId } } });
    expect(session.me).toEqual(await json(app.request('/api/me', { headers: cookie })));
  });

  it('still refuses a project outside the signed-in user\'s orgs', async () => {
    const t = await newTenant(app);
    const other = await newTenant(app);
    const res = await app.request(`/api/session?project_id=${other.projectId}`, { token: t.token });
    expect(res.status).toBe(404);
  });
});
