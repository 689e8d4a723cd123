import type { AuditAction } from '@llmlab/core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../src/auth/authenticate.js';
import { sha256 } from '../src/auth/secrets.js';
import { createBudget, updateBudget } from '../src/budgets/budgets.js';
import type { TenantContext } from '../src/context.js';
import { fromJson } from '../src/db/dialect.js';
import { deleteProviderKey } from '../src/gateway-keys/provider-keys.js';
import { revokeKey } from '../src/keys/revoke-key.js';
import { createProject } from '../src/projects/projects.js';
import { json, newTenant, track } from './helpers/accounts.js';
import { databases } from './helpers/databases.js';
import { useTestApp } from './helpers/test-app.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const UA = 'audit-test/1.0';
type Json = Record<string, unknown>;

interface Entry {
  project_id: string | null;
  at: number;
  actor_type: string;
  actor_id: string;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  user_agent: string | null;
  /** The stored row as text, to look for secrets in every column. */
  stored: string;
}

describe.each(databases())('audit entries on $name', ({ url }) => {
  const app = useTestApp({ url }, NOW);
  const send = (path: string, init: { method?: string; token: string; body?: unknown }) => app.request(path, { ...init, headers: { 'user-agent': UA } });

  /** The org's entries, oldest first, read from the table. */
  async function entries(orgId: string): Promise<Entry[]> {
    const rows = await app.ctx.db.kysely.selectFrom('audit_log').selectAll().where('org_id', '=', orgId).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ ...r, at: Number(r.at), before: fromJson(r.before), after: fromJson(r.after), stored: JSON.stringify(r) }));
  }

  /** The one entry of `action` on `targetId`. */
  async function entryOf(orgId: string, action: AuditAction, targetId: string | null): Promise<Entry> {
    const found = (await entries(orgId)).filter((e) => e.action === action && e.target_id === targetId);
    expect(found, `${action} entries on ${targetId}`).toHaveLength(1);
    return found[0];
  }

  /** Sends a request that changes nothing: it answers `status` and the org's log stays as it was. */
  async function expectNoEntry(orgId: string, status: number, request: Promise<Response>) {
    const before = (await entries(orgId)).length;
    expect((await request).status).toBe(status);
    expect(await entries(orgId)).toHaveLength(before);
  }

  function expectNoSecret(list: Entry[], secrets: string[]) {
    for (const e of list) for (const secret of secrets) expect(e.stored, `${e.action} entry`).not.toContain(secret);
  }

  const byUser = (email: string) => ({ actor_type: 'user', actor_label: email, user_agent: UA, at: NOW });

  it('records API keys created and revoked, by a user and by an admin key, never the key', async () => {
    const t = await newTenant(app);
    const admin = await json<{ id: string; key: string; prefix: string }>(send('/api/keys', { token: t.token, body: { name: 'CI admin', scopes: ['read', 'admin'] } }));
    expect(await entryOf(t.orgId, 'api_key.created', admin.id)).toMatchObject({
      ...byUser(t.email),
      project_id: t.projectId,
      target_type: 'api_key',
      before: null,
      after: { name: 'CI admin', prefix: admin.prefix, scopes: ['admin', 'read'] },
    });

    const ingest = await json<{ id: string; key: string; prefix: string }>(send('/api/keys', { token: admin.key, body: { name: 'Ingest', scopes: ['ingest'] } }));
    expect((await send(`/api/keys/${ingest.id}`, { method: 'DELETE', token: admin.key })).status).toBe(200);
    const shown = { name: 'Ingest', prefix: ingest.prefix, scopes: ['ingest'] };
    expect(await entryOf(t.orgId, 'api_key.revoked', ingest.id)).toMatchObject({
      actor_type: 'key',
      actor_id: admin.id,
      actor_label: admin.prefix,
      project_id: t.projectId,
      target_type: 'api_key',
      before: { ...shown, revoked_at: null },
      after: { ...shown, revoked_at: new Date(NOW).toISOString() },
    });

    // Revoking a revoked key changes nothing; an unknown key and a bad scope are refused.
    await expectNoEntry(t.orgId, 200, send(`/api/keys/${ingest.id}`, { method: 'DELETE', token: admin.key }));
    await expectNoEntry(t.orgId, 404, send('/api/keys/no-such-key', { method: 'DELETE', token: t.token }));
    await expectNoEntry(t.orgId, 400, send('/api/keys', { token: t.token, body: { scopes: ['root'] } }));
    expectNoSecret(await entries(t.orgId), [admin.key, ingest.key, sha256(admin.key), sha256(ingest.key), t.apiKey]);
  });

  it('records budgets created, updated and deleted with the budget as its answer shows it', async () => {
    const t = await newTenant(app);
    const admin = await json<{ id: string; key: string; prefix: string }>(send('/api/keys', { token: t.token, body: { name: 'Admin', scopes: ['admin'] } }));
    const shown = ({ id: _id, created_at: _at, status: _status, ...rest }: Json) => rest;

    const created = await json(send('/api/budgets', { token: t.token, body: { name: 'Monthly', amount: 100, period: 'monthly' } }));
    const id = created.id as string;
    const entry = await entryOf(t.orgId, 'budget.created', id);
    expect(entry).toMatchObject({ ...byUser(t.email), project_id: t.projectId, target_type: 'budget', before: null });
    expect(entry.after).toEqual(shown(created));
    expect(entry.after).toMatchObject({ name: 'Monthly', amount: 100, period: 'monthly', scope: null, hard_limit: false, timezone: 'UTC' });

    const updated = await json(send(`/api/budgets/${id}`, { method: 'PATCH', token: admin.key, body: { amount: 150, scope: { model: 'gpt-4' }, hard_limit: true } }));
    const update = await entryOf(t.orgId, 'budget.updated', id);
    expect(update).toMatchObject({ actor_type: 'key', actor_id: admin.id, actor_label: admin.prefix, project_id: t.projectId });
    expect(update.before).toEqual(shown(created));
    expect(update.after).toEqual(shown(updated));
    expect(update.after).toMatchObject({ amount: 150, scope: { model: 'gpt-4' }, hard_limit: true });

    await expectNoEntry(t.orgId, 404, send('/api/budgets/no-such-budget', { method: 'PATCH', token: t.token, body: { amount: 1 } }));
    await expectNoEntry(t.orgId, 400, send(`/api/budgets/${id}`, { method: 'PATCH', token: t.token, body: { timezone: 'Mars/Olympus' } }));
    await expectNoEntry(t.orgId, 400, send(`/api/budgets/${id}`, { method: 'PATCH', token: t.token, body: { amount: -5 } }));
    await expectNoEntry(t.orgId, 400, send('/api/budgets', { token: t.token, body: { amount: 10, timezone: 'Mars/Olympus' } }));

    expect((await send(`/api/budgets/${id}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    const deleted = await entryOf(t.orgId, 'budget.deleted', id);
    expect(deleted).toMatchObject({ ...byUser(t.email), project_id: t.projectId, after: null });
    expect(deleted.before).toEqual(shown(updated));
    await expectNoEntry(t.orgId, 404, send(`/api/budgets/${id}`, { method: 'DELETE', token: t.token }));
  });

  it('records alert channels org-wide, never a webhook secret or the credential in a URL', async () => {
    app.ctx.config.webhookAllowPrivate = true;
    const t = await newTenant(app);
    const webhook = await json<{ id: string; secret: string }>(send('/api/alert-channels', { token: t.token, body: { type: 'webhook', url: 'http://127.0.0.1:9/hooks/team-a?token=qs-secret-123' } }));
    expect(webhook.secret).toMatch(/^whsec_/);
    expect(await entryOf(t.orgId, 'alert_channel.created', webhook.id)).toMatchObject({
      ...byUser(t.email),
      project_id: null,
      target_type: 'alert_channel',
      before: null,
      after: { type: 'webhook', name: 'webhook channel', target: 'http://127.0.0.1:9/hooks/team-a', enabled: true },
    });

    await send(`/api/alert-channels/${webhook.id}`, { method: 'PATCH', token: t.token, body: { name: 'Ops', enabled: false, url: 'http://127.0.0.1:9/hooks/team-b?token=qs-secret-456' } });
    expect(await entryOf(t.orgId, 'alert_channel.updated', webhook.id)).toMatchObject({
      project_id: null,
      before: { type: 'webhook', name: 'webhook channel', target: 'http://127.0.0.1:9/hooks/team-a', enabled: true },
      after: { type: 'webhook', name: 'Ops', target: 'http://127.0.0.1:9/hooks/team-b', enabled: false },
    });

    const slack = await json<{ id: string }>(send('/api/alert-channels', { token: t.token, body: { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/slack-secret-xyz' } }));
    expect((await entryOf(t.orgId, 'alert_channel.created', slack.id)).after).toEqual({ type: 'slack', name: 'slack channel', target: 'https://hooks.slack.com', enabled: true });
    const email = await json<{ id: string }>(send('/api/alert-channels', { token: t.token, body: { type: 'email', name: 'On call', email: 'oncall@example.com' } }));
    expect((await entryOf(t.orgId, 'alert_channel.created', email.id)).after).toEqual({ type: 'email', name: 'On call', target: 'oncall@example.com', enabled: true });

    await expectNoEntry(t.orgId, 404, send('/api/alert-channels/no-such-channel', { method: 'PATCH', token: t.token, body: { name: 'x' } }));
    await expectNoEntry(t.orgId, 400, send('/api/alert-channels', { token: t.token, body: { type: 'webhook' } }));
    await expectNoEntry(t.orgId, 400, send(`/api/alert-channels/${webhook.id}`, { method: 'PATCH', token: t.token, body: { url: 'ftp://example.com/x' } }));

    expect((await send(`/api/alert-channels/${webhook.id}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    expect(await entryOf(t.orgId, 'alert_channel.deleted', webhook.id)).toMatchObject({
      project_id: null,
      before: { type: 'webhook', name: 'Ops', target: 'http://127.0.0.1:9/hooks/team-b', enabled: false },
      after: null,
    });
    await expectNoEntry(t.orgId, 404, send(`/api/alert-channels/${webhook.id}`, { method: 'DELETE', token: t.token }));
    expectNoSecret(await entries(t.orgId), [webhook.secret, 'qs-secret', 'slack-secret-xyz']);
  });

  it('records price overrides org-wide and each reprice with the counts it answered', async () => {
    const t = await newTenant(app);
    const admin = await json<{ id: string; key: string; prefix: string }>(send('/api/keys', { token: t.token, body: { name: 'Admin', scopes: ['admin'] } }));
    await track(app, t.apiKey, { provider: 'openai', model: 'acme-large', input_tokens: 2_000_000, output_tokens: 1_000_000, timestamp: '2026-11-02T00:00:00Z' });
    await track(app, t.apiKey, { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, timestamp: '2026-11-02T00:00:00Z' });

    const override = await json(send('/api/prices/overrides', { token: t.token, body: { provider: 'openai', model: 'acme-large', effective_from: '2026-11-01', input_mtok: 1, output_mtok: 2 } }));
    const { id: overrideId, created_at: _at, ...overrideShown } = override;
    expect(await entryOf(t.orgId, 'price_override.created', overrideId as string)).toMatchObject({ ...byUser(t.email), project_id: null, target_type: 'price_override', before: null, after: overrideShown });
    expect(overrideShown).toEqual({ provider: 'openai', model: 'acme-large', effective_from: '2026-11-01T00:00:00.000Z', input_mtok: 1, output_mtok: 2, cache_read_mtok: null, cache_write_mtok: null });

    const report = await json(send('/api/prices/reprice', { token: admin.key, body: {} }));
    const { by_model: _models, ...counts } = report;
    expect(counts).toEqual({ examined: 2, changed: 1, newly_priced: 1, now_unpriced: 0, cost_before: 0, cost_after: 4 });
    expect(await entryOf(t.orgId, 'prices.repriced', null)).toMatchObject({
      actor_type: 'key',
      actor_label: admin.prefix,
      project_id: t.projectId,
      target_type: 'events',
      before: null,
      after: { ...counts, filters: {} },
    });
    // Nothing left to change: no entry.
    await expectNoEntry(t.orgId, 200, send('/api/prices/reprice', { token: t.token, body: {} }));

    expect((await send(`/api/prices/overrides/${overrideId}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    expect(await entryOf(t.orgId, 'price_override.deleted', overrideId as string)).toMatchObject({ ...byUser(t.email), project_id: null, before: overrideShown, after: null });
    await expectNoEntry(t.orgId, 404, send(`/api/prices/overrides/${overrideId}`, { method: 'DELETE', token: t.token }));
    await expectNoEntry(t.orgId, 400, send('/api/prices/overrides', { token: t.token, body: { provider: 'nope', model: 'x', input_mtok: 1, output_mtok: 1 } }));

    const again = await json(send('/api/prices/reprice', { token: t.token, body: { provider: 'openai', model: 'acme-large' } }));
    expect(again).toMatchObject({ changed: 1, now_unpriced: 1, cost_before: 4, cost_after: 0 });
    const repriced = (await entries(t.orgId)).filter((e) => e.action === 'prices.repriced');
    expect(repriced.map((e) => e.after)).toEqual([
      { ...counts, filters: {} },
      { examined: 1, changed: 1, newly_priced: 0, now_unpriced: 1, cost_before: 4, cost_after: 0, filters: { provider: 'openai', model: 'acme-large' } },
    ]);
  });

  it('records gateway settings and provider keys, a provider key only as sk-...abcd', async () => {
    const t = await newTenant(app);
    const admin = await json<{ id: string; key: string; prefix: string }>(send('/api/keys', { token: t.token, body: { name: 'Admin', scopes: ['admin'] } }));
    await send('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { fail_mode: 'closed' } });
    await send('/api/gateway/settings', { method: 'PATCH', token: admin.key, body: { fail_mode: 'open' } });
    const settings = (await entries(t.orgId)).filter((e) => e.action === 'gateway_settings.updated');
    expect(settings).toMatchObject([
      { ...byUser(t.email), project_id: t.projectId, target_type: 'gateway_settings', target_id: t.projectId, before: { fail_mode: 'open' }, after: { fail_mode: 'closed' } },
      { actor_type: 'key', actor_label: admin.prefix, before: { fail_mode: 'closed' }, after: { fail_mode: 'open' } },
    ]);
    await expectNoEntry(t.orgId, 400, send('/api/gateway/settings', { method: 'PATCH', token: t.token, body: { fail_mode: 'sideways' } }));

    const first = 'sk-proj-FIRSTsecretvalue1234';
    const second = 'sk-proj-SECONDsecretvalue5678';
    const short = 'ab-12345';
    await send('/api/gateway/provider-keys/openai', { method: 'PUT', token: t.token, body: { key: first } });
    expect(await entryOf(t.orgId, 'provider_key.set', 'openai')).toMatchObject({ ...byUser(t.email), project_id: t.projectId, target_type: 'provider_key', before: null, after: { provider: 'openai', key: 'sk-...1234' } });
    await send('/api/gateway/provider-keys/openai', { method: 'PUT', token: admin.key, body: { key: second } });
    await send('/api/gateway/provider-keys/anthropic', { method: 'PUT', token: t.token, body: { key: short } });
    const sets = (await entries(t.orgId)).filter((e) => e.action === 'provider_key.set');
    expect(sets.map((e) => [e.actor_label, e.before, e.after])).toEqual([
      [t.email, null, { provider: 'openai', key: 'sk-...1234' }],
      // Only the last four characters of a stored key are kept.
      [admin.prefix, { provider: 'openai', key: '...1234' }, { provider: 'openai', key: 'sk-...5678' }],
      // A short key shows no more than its last four characters.
      [t.email, null, { provider: 'anthropic', key: '...2345' }],
    ]);
    await expectNoEntry(t.orgId, 400, send('/api/gateway/provider-keys/bedrock', { method: 'PUT', token: t.token, body: { key: first } }));

    expect((await send('/api/gateway/provider-keys/openai', { method: 'DELETE', token: t.token })).status).toBe(200);
    expect(await entryOf(t.orgId, 'provider_key.deleted', 'openai')).toMatchObject({ project_id: t.projectId, before: { provider: 'openai', key: '...5678' }, after: null });
    await expectNoEntry(t.orgId, 404, send('/api/gateway/provider-keys/openai', { method: 'DELETE', token: t.token }));
    expectNoSecret(await entries(t.orgId), [first, second, short, 'secretvalue', admin.key]);
  });

  it('records a project created in the org, as the new project, and renamed', async () => {
    const t = await newTenant(app);
    const project = await json<{ id: string; name: string }>(send('/api/projects', { token: t.token, body: { name: 'Staging' } }));
    expect(await entryOf(t.orgId, 'project.created', project.id)).toMatchObject({ ...byUser(t.email), project_id: project.id, target_type: 'project', before: null, after: { name: 'Staging' } });
    await expectNoEntry(t.orgId, 400, send('/api/projects', { token: t.token, body: { name: '' } }));
    await expectNoEntry(t.orgId, 403, send('/api/projects', { token: t.apiKey, body: { name: 'By key' } }));

    expect((await send(`/api/projects/${project.id}`, { method: 'PATCH', token: t.token, body: { name: 'Production' } })).status).toBe(200);
    expect(await entryOf(t.orgId, 'project.updated', project.id)).toMatchObject({ ...byUser(t.email), project_id: project.id, target_type: 'project', before: { name: 'Staging' }, after: { name: 'Production' } });
    await expectNoEntry(t.orgId, 404, send('/api/projects/no-such-project', { method: 'PATCH', token: t.token, body: { name: 'x' } }));
    await expectNoEntry(t.orgId, 400, send(`/api/projects/${project.id}`, { method: 'PATCH', token: t.token, body: { name: '' } }));
  });

  it('commits a change only with its entry: when the entry cannot be written, the change rolls back', async () => {
    const t = await newTenant(app);
    const kept = await json<{ id: string }>(send('/api/budgets', { token: t.token, body: { name: 'Kept', amount: 10, period: 'monthly' } }));
    const key = await json<{ id: string; key: string }>(send('/api/keys', { token: t.token, body: { name: 'Kept key', scopes: ['read'] } }));
    await send('/api/gateway/provider-keys/openai', { method: 'PUT', token: t.token, body: { key: 'sk-proj-keptkeyvalue0000' } });
    const logged = (await entries(t.orgId)).length;
    const ctx: TenantContext = { ...app.ctx, actor: await authenticate(app.ctx, t.token) };

    const refusal = await refuseAuditEntries(t.orgId);
    try {
      await expect(createBudget({ ctx, input: { name: 'Lost', amount: 5, period: 'daily', hard_limit: false } })).rejects.toThrow(/audit refused/);
      await expect(updateBudget({ ctx, id: kept.id, input: { amount: 99 } })).rejects.toThrow(/audit refused/);
      await expect(revokeKey({ ctx, keyId: key.id })).rejects.toThrow(/audit refused/);
      await expect(deleteProviderKey({ ctx, provider: 'openai' })).rejects.toThrow(/audit refused/);
      await expect(createProject({ ctx, input: { name: 'Lost' } })).rejects.toThrow(/audit refused/);
    } finally {
      await refusal.drop();
    }

    const budgets = await json<{ budgets: { name: string; amount: number }[] }>(send('/api/budgets', { token: t.token }));
    expect(budgets.budgets.map((b) => [b.name, b.amount])).toEqual([['Kept', 10]]);
    expect((await send('/api/costs/summary', { token: key.key })).status).toBe(200);
    expect((await json<{ keys: { provider: string }[] }>(send('/api/gateway/provider-keys', { token: t.token }))).keys.map((k) => k.provider)).toEqual(['openai']);
    expect((await json<{ projects: { name: string }[] }>(send('/api/projects', { token: t.token }))).projects.map((p) => p.name)).toEqual(['Default']);
    expect(await entries(t.orgId)).toHaveLength(logged);
  });

  /** Makes every audit entry of `orgId` fail to insert (other orgs' are untouched) until dropped. */
  async function refuseAuditEntries(orgId: string): Promise<{ drop(): Promise<void> }> {
    const db = app.ctx.db.kysely;
    const name = `audit_refused_${orgId.replace(/-/g, '_')}`;
    if (app.ctx.db.dialect === 'sqlite') {
      await sql.raw(`create trigger ${name} before insert on audit_log when new.org_id = '${orgId}' begin select raise(abort, 'audit refused'); end`).execute(db);
      return { drop: async () => void (await sql.raw(`drop trigger ${name}`).execute(db)) };
    }
    await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin if new.org_id = '${orgId}' then raise exception 'audit refused'; end if; return new; end $$`).execute(db);
    await sql.raw(`create trigger ${name} before insert on audit_log for each row execute function ${name}()`).execute(db);
    return {
      drop: async () => {
        await sql.raw(`drop trigger ${name} on audit_log`).execute(db);
        await sql.raw(`drop function ${name}()`).execute(db);
      },
    };
  }
});
