import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../src/alerts/test-receivers.js';
import { addMember, newTenant, type TestTenant } from './helpers/accounts.js';
import { databases } from './helpers/databases.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const DAY = 86_400_000;

describe.each(databases())('members, invitations and roles on $name', ({ url }) => {
  let app: TestApp;
  let owner: TestTenant;
  beforeAll(async () => {
    app = await createTestApp(url);
    owner = await newTenant(app);
  });
  afterAll(() => app?.close());

  const call = async (path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await app.request(path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const invite = async (token: string, email: string, role: string) => {
    const r = await call('/api/invitations', { token, body: { email, role } });
    expect(r.status).toBe(201);
    return { ...r.body, token: new URL(r.body.invite_url).searchParams.get('token') as string };
  };
  const members = async (token: string) => (await call('/api/members', { token })).body.members as { user_id: string; email: string; role: string; last_seen_at: string | null }[];
  const email = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

  it('invites a new person, who accepts with a password, joins with the role and is listed', async () => {
    const to = email('new');
    const inv = await invite(owner.token, to.toUpperCase(), 'member');
    expect(inv).toMatchObject({ email: to, role: 'member', emailed: false });
    expect(inv.invite_url).toMatch(/^http:\/\/localhost\/invite\?token=llmi_[\w-]{40,}$/);
    expect(Date.parse(inv.expires_at) - Date.parse(inv.created_at)).toBe(7 * DAY);
    expect((await call('/api/invitations', { token: owner.token })).body.invitations.map((i: { email: string }) => i.email)).toContain(to);
    expect((await call(`/api/invitations/lookup?token=${inv.token}`)).body).toMatchObject({ email: to, role: 'member', account_exists: false });

    const accepted = await call('/api/invitations/accept', { body: { token: inv.token, password: 'a-long-password', name: 'New Person' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ user: { email: to, name: 'New Person' }, org: { id: owner.orgId }, project: { id: owner.projectId } });
    const me = (await call('/api/me', { token: accepted.body.token })).body;
    expect(me).toMatchObject({ role: 'member', org: { id: owner.orgId }, project: { id: owner.projectId } });
    expect(me.scopes.sort()).toEqual(['ingest', 'read']);
    const listed = (await members(owner.token)).find((m) => m.email === to);
    expect(listed).toMatchObject({ role: 'member', name: 'New Person' });
    expect((await call('/api/invitations', { token: owner.token })).body.invitations.map((i: { email: string }) => i.email)).not.toContain(to);
    // The person can log in with the password they chose.
    expect((await call('/api/auth/login', { body: { email: to, password: 'a-long-password' } })).body.org.id).toBe(owner.orgId);
  });

  it('emails the link when SMTP is configured, and links to LLMLAB_PUBLIC_URL', async () => {
    const smtp = await startSmtpSink();
    const config = app.ctx.config;
    const saved = { smtp: config.smtp, publicUrl: config.publicUrl };
    config.smtp = { ...config.smtp, host: '127.0.0.1', port: smtp.port, from: 'LLMLab <team@example.com>' };
    config.publicUrl = 'https://llmlab.example.com';
    try {
      const to = email('mailed');
      const inv = await invite(owner.token, to, 'viewer');
      expect(inv).toMatchObject({ emailed: true });
      expect(inv.invite_url).toMatch(/^https:\/\/llmlab\.example\.com\/invite\?token=llmi_/);
      const mail = smtp.messages.find((m) => m.to.includes(to));
      expect(mail?.data).toContain('as viewer');
      // Quoted-printable may fold long lines: compare the message with its soft line breaks removed.
      expect(mail?.data.replace(/=\r?\n/g, '').replace(/=3D/g, '=')).toContain(inv.invite_url);
    } finally {
      Object.assign(config, saved);
      await smtp.close();
    }
  });

  it('refuses a used, revoked or expired link with 410 and never duplicates the membership', async () => {
    const to = email('twice');
    const inv = await invite(owner.token, to, 'viewer');
    expect((await call('/api/invitations/accept', { body: { token: inv.token, password: 'password-one' } })).status).toBe(200);
    // The same person opening the link again (a reload) is signed in again, still one membership.
    expect((await call('/api/invitations/accept', { body: { token: inv.token, password: 'password-one' } })).status).toBe(200);
    expect((await members(owner.token)).filter((m) => m.email === to)).toHaveLength(1);
    expect(await call(`/api/invitations/lookup?token=${inv.token}`)).toEqual({ status: 410, body: { error: { code: 'gone', message: 'this invitation was already used; log in instead' } } });

    const revoked = await invite(owner.token, email('revoked'), 'member');
    expect((await call(`/api/invitations/${revoked.id}`, { method: 'DELETE', token: owner.token })).status).toBe(200);
    expect(await call('/api/invitations/accept', { body: { token: revoked.token, password: 'password-two' } })).toEqual({
      status: 410, body: { error: { code: 'gone', message: 'this invitation was revoked; ask an admin of the org for a new one' } },
    });

    const late = await invite(owner.token, email('late'), 'member');
    app.setNow(Date.now() + 7 * DAY + 1);
    try {
      const r = await call('/api/invitations/accept', { body: { token: late.token, password: 'password-three' } });
      expect(r).toEqual({ status: 410, body: { error: { code: 'gone', message: 'this invitation expired (they last 7 days); ask an admin of the org for a new one' } } });
    } finally {
      app.setNow(null);
    }
    expect((await call('/api/invitations/accept', { body: { token: 'llmi_not-a-real-token', password: 'password-four' } })).status).toBe(404);
  });

  it('a signed-in person joins a second org with their own account; /api/me lists both orgs and switches by project', async () => {
    const other = await newTenant(app);
    const inv = await invite(owner.token, other.email, 'admin');
    expect((await call(`/api/invitations/lookup?token=${inv.token}`)).body.account_exists).toBe(true);
    const joined = await call('/api/invitations/accept', { token: other.token, body: { token: inv.token } });
    expect(joined.status).toBe(200);
    const me = (await call('/api/me', { token: other.token })).body;
    expect(me.orgs.map((o: { id: string; role: string; default_project_id: string }) => [o.id, o.role, o.default_project_id])).toEqual([
      [other.orgId, 'owner', other.projectId],
      [owner.orgId, 'admin', owner.projectId],
    ]);
    const switched = (await call(`/api/me?project_id=${owner.projectId}`, { token: other.token })).body;
    expect(switched).toMatchObject({ org: { id: owner.orgId }, role: 'admin' });
    // Another signed-in account cannot take an invitation meant for someone else.
    const stranger = await newTenant(app);
    const inv2 = await invite(owner.token, email('someone'), 'member');
    const r = await call('/api/invitations/accept', { token: stranger.token, body: { token: inv2.token } });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/^this invitation is for someone-.*, and you are signed in as t.*: sign out and open the link again$/);
    // An existing account that is signed out needs its password.
    const inv3 = await invite(owner.token, stranger.email, 'viewer');
    expect((await call('/api/invitations/accept', { body: { token: inv3.token, password: 'wrong-password' } })).status).toBe(401);
    expect((await call('/api/invitations/accept', { body: { token: inv3.token } })).body.error).toMatchObject({ code: 'validation_failed' });
    expect((await call('/api/invitations/accept', { body: { token: inv3.token, password: 'hunter2hunter2' } })).status).toBe(200);
  });

  it('keeps at least one owner, and only owners touch owners', async () => {
    const team = await newTenant(app);
    const admin = await addMember(app, team.token, 'admin');
    const me = (await call('/api/me', { token: team.token })).body;
    const ownerId = me.user.id as string;
    expect(await call(`/api/members/${ownerId}`, { method: 'PATCH', token: team.token, body: { role: 'admin' } })).toEqual({
      status: 409, body: { error: { code: 'conflict', message: 'the org must keep at least one owner: make another member owner first' } },
    });
    expect((await call(`/api/members/${ownerId}`, { method: 'DELETE', token: team.token })).status).toBe(409);
    expect((await call(`/api/members/${ownerId}`, { method: 'PATCH', token: admin.token, body: { role: 'member' } })).body.error.message).toBe("only an owner can change an owner's role (you are admin)");
    expect((await call(`/api/members/${admin.userId}`, { method: 'PATCH', token: admin.token, body: { role: 'owner' } })).body.error.message).toBe('only an owner can make someone an owner (you are admin)');
    expect((await call('/api/invitations', { token: admin.token, body: { email: email('o'), role: 'owner' } })).status).toBe(403);
    // The owner makes the admin an owner; now the first owner may step down.
    expect((await call(`/api/members/${admin.userId}`, { method: 'PATCH', token: team.token, body: { role: 'owner' } })).body.role).toBe('owner');
    expect((await call(`/api/members/${ownerId}`, { method: 'PATCH', token: team.token, body: { role: 'viewer' } })).body.role).toBe('viewer');
    expect((await members(admin.token)).map((m) => m.role)).toEqual(['owner', 'viewer']);
    expect((await call(`/api/members/${ownerId}`, { method: 'PATCH', token: team.token, body: { role: 'owner' } })).status).toBe(403);
  });

  it('removing a member ends their access at once and stops the keys they made; demoting caps them', async () => {
    const team = await newTenant(app);
    const dev = await addMember(app, team.token, 'admin');
    const key = (await call('/api/keys', { token: dev.token, body: { name: 'dev admin key', scopes: ['ingest', 'read', 'admin'] } })).body;
    expect((await call('/api/budgets', { token: key.key, body: { amount: 5 } })).status).toBe(201);
    // Demoted to member: the key keeps ingest and read but loses admin.
    await call(`/api/members/${dev.userId}`, { method: 'PATCH', token: team.token, body: { role: 'member' } });
    expect((await call('/api/budgets', { token: key.key, body: { amount: 5 } })).status).toBe(403);
    expect((await call('/api/events/track', { token: key.key, body: { provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1 } })).status).toBe(201);
    expect((await call('/api/me', { token: key.key })).body).toMatchObject({ role: 'member', scopes: ['ingest', 'read'] });
    // Removed: the session no longer reaches the org, and the key stops working.
    expect((await call(`/api/members/${dev.userId}`, { method: 'DELETE', token: team.token })).status).toBe(200);
    expect((await call('/api/events', { token: dev.token })).status).toBe(403);
    expect(await call('/api/events', { token: key.key })).toEqual({
      status: 401, body: { error: { code: 'unauthorized', message: 'this API key stopped working: the person who created it is no longer a member of the org' } },
    });
    expect((await members(team.token)).map((m) => m.user_id)).not.toContain(dev.userId);
  });

  it('a member makes ingest and read keys and revokes only their own; a viewer changes nothing', async () => {
    const team = await newTenant(app);
    const member = await addMember(app, team.token, 'member');
    const viewer = await addMember(app, team.token, 'viewer');
    expect((await call('/api/keys', { token: member.token, body: { name: 'too much', scopes: ['admin'] } })).body.error.message).toBe(
      'a member can make keys with the scopes ingest and read only; admin needs an admin',
    );
    const own = (await call('/api/keys', { token: member.token, body: { name: 'mine', scopes: ['ingest'] } })).body;
    expect(own.created_by.user_id).toBe(member.userId);
    const ownersKey = (await call('/api/keys', { token: team.token, body: { name: 'owner key' } })).body;
    expect((await call(`/api/keys/${ownersKey.id}`, { method: 'DELETE', token: member.token })).status).toBe(403);
    expect((await call(`/api/keys/${own.id}`, { method: 'DELETE', token: member.token })).status).toBe(200);
    expect((await call('/api/events/track', { token: viewer.token, body: { provider: 'openai', model: 'gpt-4o', input_tokens: 1, output_tokens: 1 } })).body.error.message).toBe(
      'this needs the member role (you are viewer)',
    );
    expect((await call('/api/costs/summary', { token: viewer.token })).status).toBe(200);
  });

  it('records last_seen_at when a member uses the org', async () => {
    const team = await newTenant(app);
    const viewer = await addMember(app, team.token, 'viewer');
    expect((await members(team.token)).find((m) => m.user_id === viewer.userId)?.last_seen_at).toBeNull();
    await call('/api/costs/summary', { token: viewer.token });
    await expect.poll(async () => (await members(team.token)).find((m) => m.user_id === viewer.userId)?.last_seen_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes the audit log for members and invitations, newest first, filterable and paged', async () => {
    const team = await newTenant(app);
    const to = email('audited');
    const inv = await invite(team.token, to, 'viewer');
    const joined = await call('/api/invitations/accept', { body: { token: inv.token, password: 'audited-password' }, headers: { 'user-agent': 'audit-test/1.0' } });
    await call(`/api/members/${joined.body.user.id}`, { method: 'PATCH', token: team.token, body: { role: 'member' } });
    await call(`/api/members/${joined.body.user.id}`, { method: 'DELETE', token: team.token });
    const log = (await call('/api/audit-log', { token: team.token })).body;
    expect(log.entries.map((e: { action: string }) => e.action)).toEqual(['member.removed', 'member.role_changed', 'invitation.accepted', 'member.joined', 'invitation.created']);
    const [removed, changed, accepted] = log.entries;
    expect(removed).toMatchObject({ actor: { type: 'user', email: team.email, key_prefix: null }, target_type: 'member', target_id: joined.body.user.id, before: { email: to, role: 'member' }, after: null });
    expect(changed).toMatchObject({ before: { role: 'viewer' }, after: { role: 'member' } });
    expect(accepted).toMatchObject({ actor: { email: to }, user_agent: 'audit-test/1.0', after: { email: to, role: 'viewer' } });
    expect(JSON.stringify(log)).not.toContain(inv.token);
    const byInvitee = (await call(`/api/audit-log?actor=${encodeURIComponent(to)}`, { token: team.token })).body.entries.map((e: { action: string }) => e.action);
    expect(byInvitee).toEqual(['invitation.accepted', 'member.joined']);
    const page1 = (await call('/api/audit-log?limit=2', { token: team.token })).body;
    const page2 = (await call(`/api/audit-log?limit=2&cursor=${page1.next_cursor}`, { token: team.token })).body;
    expect([...page1.entries, ...page2.entries].map((e: { id: string }) => e.id)).toEqual(log.entries.slice(0, 4).map((e: { id: string }) => e.id));
    expect((await call('/api/audit-log?action=nope', { token: team.token })).status).toBe(400);
    const viewer = await addMember(app, team.token, 'viewer');
    expect((await call('/api/audit-log', { token: viewer.token })).status).toBe(403);
  });
});
