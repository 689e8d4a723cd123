import { AppError } from '@llmlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newTenant, type TestTenant } from '../../test/helpers/accounts.js';
import { databases } from '../../test/helpers/databases.js';
import { createTestApp, type TestApp } from '../../test/helpers/test-app.js';
import type { OidcConfig } from '../config/config.js';
import { fromJson } from '../db/dialect.js';
import { admitSsoUser } from './admit-user.js';

const settings = (orgId: string | undefined, over: Partial<OidcConfig> = {}): OidcConfig => ({
  issuer: 'https://idp.example.com', clientId: 'llmlab', allowedDomains: ['acme.test'], defaultRole: 'viewer', orgId, ...over,
});
const origin = { ip: '203.0.113.7', userAgent: 'test browser' };
const email = (tag: string, domain = 'acme.test') => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@${domain}`;

describe.each(databases())('admitting a single sign-on user on $name', ({ url }) => {
  let app: TestApp;
  let owner: TestTenant;
  beforeAll(async () => {
    app = await createTestApp(url);
    owner = await newTenant(app);
  });
  afterAll(() => app?.close());

  const db = () => app.ctx.db.kysely;
  const membership = (userId: string, orgId = owner.orgId) => db().selectFrom('memberships').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).execute();

  it('creates a first-time user without a usable password, in the org with the default role, and logs the join', async () => {
    const who = email('ada');
    const admitted = await admitSsoUser({ ctx: app.ctx, input: { settings: settings(owner.orgId), identity: { email: who, name: 'Ada' }, origin } });
    expect(admitted).toEqual({ userId: expect.any(String), orgId: owner.orgId, projectId: owner.projectId });
    expect(await db().selectFrom('users').select(['email', 'name']).where('id', '=', admitted.userId).execute()).toEqual([{ email: who, name: 'Ada' }]);
    expect(await membership(admitted.userId)).toEqual([{ role: 'viewer' }]);
    const audit = await db().selectFrom('audit_log').selectAll().where('org_id', '=', owner.orgId).where('target_id', '=', admitted.userId).execute();
    expect(audit).toMatchObject([{ action: 'member.joined', actor_id: admitted.userId, actor_label: who, ip: origin.ip, user_agent: origin.userAgent }]);
    expect(fromJson(audit[0].after)).toEqual({ user_id: admitted.userId, role: 'viewer', via: 'sso' });
    for (const password of ['', 'x'.repeat(8)]) {
      expect((await app.request('/api/auth/login', { body: { email: who, password } })).status).toBeGreaterThanOrEqual(400);
    }
  });

  it('signs an existing account in as itself, adds it once, and keeps a role changed since', async () => {
    const who = email('grace');
    const own = await json<{ user: { id: string }; org: { id: string } }>(app.request('/api/auth/signup', { body: { email: who, password: 'a-long-password' } }));
    const first = await admitSsoUser({ ctx: app.ctx, input: { settings: settings(owner.orgId), identity: { email: who, name: null } } });
    expect(first.userId).toBe(own.user.id);
    expect(await membership(own.user.id)).toEqual([{ role: 'viewer' }]);
    expect(await membership(own.user.id, own.org.id)).toEqual([{ role: 'owner' }]);
    await db().updateTable('memberships').set({ role: 'admin' }).where('org_id', '=', owner.orgId).where('user_id', '=', own.user.id).execute();
    const again = await admitSsoUser({ ctx: app.ctx, input: { settings: settings(owner.orgId), identity: { email: who, name: null } } });
    expect(again.userId).toBe(own.user.id);
    expect(await membership(own.user.id)).toEqual([{ role: 'admin' }]);
    expect(await db().selectFrom('audit_log').select('id').where('org_id', '=', owner.orgId).where('target_id', '=', own.user.id).execute()).toHaveLength(1);
    expect((await app.request('/api/auth/login', { body: { email: who, password: 'a-long-password' } })).status).toBe(200);
  });

  it('admits two first sign-ins of one person at once as one user', async () => {
    const who = email('twice');
    const both = await Promise.all([1, 2].map(() => admitSsoUser({ ctx: app.ctx, input: { settings: settings(owner.orgId), identity: { email: who, name: null } } })));
    expect(both[0].userId).toBe(both[1].userId);
    expect(await db().selectFrom('users').select('id').where('email', '=', who).execute()).toHaveLength(1);
  });

  it('refuses an email outside the allowed domains, and writes nothing', async () => {
    const who = email('eve', 'elsewhere.test');
    const refused = await admitSsoUser({ ctx: app.ctx, input: { settings: settings(owner.orgId), identity: { email: who, name: null } } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'forbidden', message: `single sign-on is open to addresses at acme.test; ${who} is not one` });
    // A subdomain is another domain.
    await expect(admitSsoUser({ ctx: app.ctx, input: { settings: settings(owner.orgId), identity: { email: email('sub', 'eu.acme.test'), name: null } } })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await db().selectFrom('users').select('id').where('email', '=', who).execute()).toEqual([]);
  });

  it('joins the org LLMLAB_OIDC_ORG_ID names, and says so when it names none', async () => {
    const other = await newTenant(app);
    const admitted = await admitSsoUser({ ctx: app.ctx, input: { settings: settings(other.orgId, { defaultRole: 'member' }), identity: { email: email('lin'), name: null } } });
    expect(admitted).toMatchObject({ orgId: other.orgId, projectId: other.projectId });
    expect(await membership(admitted.userId, other.orgId)).toEqual([{ role: 'member' }]);
    const who = email('nobody');
    await expect(admitSsoUser({ ctx: app.ctx, input: { settings: settings('no-such-org'), identity: { email: who, name: null } } })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('LLMLAB_OIDC_ORG_ID names no org') });
    expect(await db().selectFrom('users').select('id').where('email', '=', who).execute()).toEqual([]);
  });
});

describe('admitting a single sign-on user without LLMLAB_OIDC_ORG_ID', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app?.close());

  it('refuses while there is no org, then joins the oldest org', async () => {
    await expect(admitSsoUser({ ctx: app.ctx, input: { settings: settings(undefined), identity: { email: email('early'), name: null } } })).rejects.toMatchObject({ code: 'conflict' });
    app.setNow(1_800_000_000_000);
    const oldest = await newTenant(app);
    app.setNow(1_800_000_060_000);
    await newTenant(app);
    const admitted = await admitSsoUser({ ctx: app.ctx, input: { settings: settings(undefined), identity: { email: email('late'), name: null } } });
    expect(admitted).toMatchObject({ orgId: oldest.orgId, projectId: oldest.projectId });
  });
});
