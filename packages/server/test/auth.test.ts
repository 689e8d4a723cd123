import { describe, expect, it } from 'vitest';
import { json, newTenant } from './helpers/accounts.js';
import { databases } from './helpers/databases.js';
import { useTestApp } from './helpers/test-app.js';

describe.each(databases())('accounts and keys on $name', ({ url }) => {
  const app = useTestApp({ url });

  it('signs up, logs in, logs out (the token stops working) and answers /api/me', async () => {
    const email = `me-${Date.now()}-${Math.random()}@example.com`.replace(/0\./, '');
    const signup = await app.request('/api/auth/signup', { body: { email, password: 'longenough1' } });
    expect(signup.status).toBe(201);
    const s = await signup.json();
    expect(s.api_key).toMatch(/^llmlab_[A-Za-z0-9_-]{43}$/);
    expect(s.token).toMatch(/^llms_/);
    expect(s.project.name).toBe('Default');
    expect(signup.headers.get('set-cookie')).toMatch(/llmlab_session=.*HttpOnly.*SameSite=Lax/i);

    const again = await app.request('/api/auth/signup', { body: { email, password: 'longenough1' } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('conflict');

    const bad = await app.request('/api/auth/login', { body: { email, password: 'wrong-password' } });
    expect(bad.status).toBe(401);
    const login = await json<{ token: string }>(app.request('/api/auth/login', { body: { email: email.toUpperCase(), password: 'longenough1' } }));
    const me = await json<{ user: { email: string }; role: string; scopes: string[] }>(app.request('/api/me', { token: login.token }));
    expect(me).toMatchObject({ user: { email }, role: 'owner' });
    expect(me.scopes.sort()).toEqual(['admin', 'ingest', 'read']);

    expect((await app.request('/api/auth/logout', { method: 'POST', token: login.token })).status).toBe(200);
    const after = await app.request('/api/me', { token: login.token });
    expect(after.status).toBe(401);
    expect((await app.request('/api/me', { token: s.token })).status).toBe(200);
  });

  it('refuses bad emails and short passwords, naming the field', async () => {
    const r1 = await app.request('/api/auth/signup', { body: { email: 'not-an-email', password: 'longenough1' } });
    expect(r1.status).toBe(400);
    expect((await r1.json()).error.message).toBe('email: email must be a valid email address');
    const r2 = await app.request('/api/auth/signup', { body: { email: 'ok@example.com', password: 'short' } });
    expect((await r2.json()).error.message).toBe('password: password must be at least 8 characters');
  });

  it('rate-limits repeated failed logins with 429', async () => {
    const t = await newTenant(app);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await app.request('/api/auth/login', { body: { email: t.email, password: 'nope-nope' } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await app.request('/api/auth/login', { body: { email: t.email, password: 'hunter2hunter2' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('creates scoped keys, hides them after creation, and refuses a revoked key at once', async () => {
    const t = await newTenant(app);
    const created = await app.request('/api/keys', { token: t.token, body: { name: 'ingest only', scopes: ['ingest'] } });
    expect(created.status).toBe(201);
    const k = await created.json();
    expect(k.key).toMatch(/^llmlab_/);
    const ev = { provider: 'openai', model: 'gpt-4', input_tokens: 1, output_tokens: 1 };
    expect((await app.request('/api/events/track', { token: k.key, body: ev })).status).toBe(201);
    const read = await app.request('/api/costs/summary', { token: k.key });
    expect(read.status).toBe(403);
    expect((await read.json()).error.message).toBe('this credential lacks the "read" scope');
    const list = await json<{ keys: { id: string; key?: string; prefix: string }[] }>(app.request('/api/keys', { token: t.token }));
    expect(list.keys).toHaveLength(2);
    expect(list.keys.every((x) => x.key === undefined && !JSON.stringify(x).includes('hash'))).toBe(true);
    expect((await app.request(`/api/keys/${k.id}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    const revoked = await app.request('/api/events/track', { token: k.key, body: ev });
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toBe('invalid or revoked API key');
  });

  it('keeps tenants apart: another org gets 404 or 403 on every id it does not own', async () => {
    const a = await newTenant(app);
    const b = await newTenant(app);
    const tracked = await json<{ event_id: string }>(app.request('/api/events/track', { token: a.apiKey, body: { provider: 'openai', model: 'gpt-4', input_tokens: 5, output_tokens: 5, event_id: 'secret-1' } }));
    const budget = await json<{ id: string }>(app.request('/api/budgets', { token: a.token, body: { amount: 10 } }));
    const key = await json<{ id: string }>(app.request('/api/keys', { token: a.token, body: { name: 'x', scopes: ['read'] } }));
    expect((await app.request(`/api/events/${tracked.event_id}`, { token: b.apiKey })).status).toBe(404);
    expect((await app.request(`/api/budgets/${budget.id}`, { token: b.token })).status).toBe(404);
    expect((await app.request(`/api/budgets/${budget.id}`, { method: 'PATCH', token: b.token, body: { amount: 1 } })).status).toBe(404);
    expect((await app.request(`/api/budgets/${budget.id}`, { method: 'DELETE', token: b.token })).status).toBe(404);
    expect((await app.request(`/api/keys/${key.id}`, { method: 'DELETE', token: b.token })).status).toBe(404);
    expect((await app.request(`/api/costs/summary?project_id=${a.projectId}`, { token: b.token })).status).toBe(404);
    expect((await app.request(`/api/events?project_id=${a.projectId}`, { token: b.apiKey })).status).toBe(403);
    const bEvents = await json<{ events: unknown[] }>(app.request('/api/events', { token: b.token }));
    expect(bEvents.events).toHaveLength(0);
    // b re-using a's event_id stores b's own event: idempotency keys are per project.
    const mine = await app.request('/api/events/track', { token: b.apiKey, body: { provider: 'openai', model: 'gpt-4', input_tokens: 1, output_tokens: 1, event_id: 'secret-1' } });
    expect(mine.status).toBe(201);
    expect((await json<{ budgets: unknown[] }>(app.request('/api/budgets', { token: b.token }))).budgets).toHaveLength(0);
  });

  it('creates projects and lets a session switch between them', async () => {
    const t = await newTenant(app);
    const p = await json<{ id: string; name: string }>(app.request('/api/projects', { token: t.token, body: { name: 'Staging' } }));
    await app.request(`/api/events/track?project_id=${p.id}`, { token: t.token, body: { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 0 } });
    const staging = await json<{ total_spend: number }>(app.request(`/api/costs/summary?project_id=${p.id}`, { token: t.token }));
    const def = await json<{ total_spend: number }>(app.request('/api/costs/summary', { token: t.token }));
    expect(staging.total_spend).toBe(0.03);
    expect(def.total_spend).toBe(0);
    const projects = await json<{ projects: { name: string }[] }>(app.request('/api/projects', { token: t.token }));
    expect(projects.projects.map((x) => x.name)).toEqual(['Default', 'Staging']);
    expect((await app.request('/api/projects', { token: t.apiKey, body: { name: 'Nope' } })).status).toBe(403);
  });
});
