/**
 * A tenant holding one of everything the API can address by id, the snapshot of its stored
 * data that bad requests must leave alone, and the scan for stored secrets in answers.
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import { addMember } from '../helpers/accounts.js';
import type { TestApp } from '../helpers/test-app.js';
import type { Operation } from './openapi.js';

export interface SeededTenant {
  token: string;
  apiKey: string;
  adminKey: string;
  email: string;
  password: string;
  orgId: string;
  projectId: string;
  secondProjectId: string;
  eventId: string;
  /** A session of its events (GET /api/sessions/{id}). */
  sessionId: string;
  budgetId: string;
  rateLimitId: string;
  keyId: string;
  channelId: string;
  overrideId: string;
  invitationId: string;
  /** A viewer of the org that member routes address (changed and removed by the tests). */
  memberUserId: string;
  /** Strings only this tenant's data holds: none may show in another tenant's answers. */
  markers: string[];
}

async function call<T>(app: TestApp, path: string, init: { method?: string; token: string; body?: unknown }, expected: number): Promise<T> {
  const res = await app.request(path, init);
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Signs up `tag` and gives it an event, a budget, keys, an alert channel, a price override, a provider key and a second project. */
export async function seedTenant(app: TestApp, tag: string): Promise<SeededTenant> {
  const unique = `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const email = `${unique}@example.com`;
  const password = `${unique}-password`;
  const up = await call<{ token: string; api_key: string; org: { id: string }; project: { id: string } }>(app, '/api/auth/signup', { token: '', body: { email, password } }, 201);
  const token = up.token;
  const eventId = `${unique}-event`;
  await call(app, '/api/events/batch', { token: up.api_key, body: { events: [
    { event_id: eventId, provider: 'openai', model: 'gpt-4o', input_tokens: 1234, output_tokens: 56, feature: `${unique}-feature`, user_id: `${unique}-user`, session_id: `${unique}-session`, tags: { team: `${unique}-team` } },
    { event_id: `${eventId}-2`, provider: 'anthropic', model: `${unique}-model`, input_tokens: 10, output_tokens: 1, status: 'error', latency_ms: 900 },
  ] } }, 200);
  const budget = await call<{ id: string }>(app, '/api/budgets', { token, body: { name: `${unique}-budget`, amount: 12.5, hard_limit: true } }, 201);
  const rateLimit = await call<{ id: string }>(app, '/api/rate-limits', { token, body: { name: `${unique}-rate-limit`, per: 'end_user', requests_per_minute: 10 } }, 201);
  const key = await call<{ id: string; key: string }>(app, '/api/keys', { token, body: { name: `${unique}-key`, scopes: ['ingest', 'read', 'admin'] } }, 201);
  const channel = await call<{ id: string }>(app, '/api/alert-channels', { token, body: { type: 'email', name: `${unique}-channel`, email: `${unique}-alerts@example.com` } }, 201);
  const override = await call<{ id: string }>(app, '/api/prices/overrides', { token, body: { provider: 'openai', model: `${unique}-priced`, input_mtok: 1, output_mtok: 2 } }, 201);
  await call(app, '/api/gateway/provider-keys/openai', { method: 'PUT', token, body: { key: `sk-${unique}-provider-key` } }, 200);
  await call(app, '/api/billing/connections/openai', { method: 'PUT', token, body: { admin_key: `sk-admin-${unique}-billing`, alert_threshold_usd: 5 } }, 200);
  const project = await call<{ id: string }>(app, '/api/projects', { token, body: { name: `${unique}-project` } }, 201);
  const member = await addMember(app, token, 'viewer');
  const invitation = await call<{ id: string; invite_url: string }>(app, '/api/invitations', { token, body: { email: `${unique}-invitee@example.com`, role: 'member' } }, 201);
  return {
    token, apiKey: up.api_key, adminKey: key.key, email, password, orgId: up.org.id, projectId: up.project.id, secondProjectId: project.id,
    eventId, sessionId: `${unique}-session`, budgetId: budget.id, rateLimitId: rateLimit.id, keyId: key.id, channelId: channel.id, overrideId: override.id, invitationId: invitation.id, memberUserId: member.userId,
    markers: [unique, up.org.id, up.project.id, project.id, budget.id, rateLimit.id, key.id, channel.id, override.id, invitation.id, member.userId, member.email, up.api_key, key.key, token, member.token, invitation.invite_url.split('token=')[1]],
  };
}

/** Everything stored for the tenant that a request could change, read straight from the database. */
export async function snapshotTenant(app: TestApp, t: SeededTenant): Promise<Record<string, unknown>> {
  const db = app.ctx.db.kysely;
  const projects = [t.projectId, t.secondProjectId];
  const all = <T>(q: { execute(): Promise<T[]> }) => q.execute();
  return {
    events: await all(db.selectFrom('events').select(['event_id', 'ts', 'provider', 'model', 'input_tokens', 'output_tokens', 'cost_nanos', 'feature', 'status']).where('project_id', 'in', projects).orderBy('event_id')),
    rollups: await all(db.selectFrom('usage_hourly').selectAll().where('project_id', 'in', projects).orderBy('hour').orderBy('model').orderBy('feature')),
    budgets: await all(db.selectFrom('budgets').selectAll().where('project_id', 'in', projects).orderBy('id')),
    rateLimits: await all(db.selectFrom('rate_limits').selectAll().where('project_id', 'in', projects).orderBy('id')),
    keys: await all(db.selectFrom('api_keys').select(['id', 'name', 'scopes', 'key_hash', 'revoked_at']).where('project_id', 'in', projects).orderBy('id')),
    projects: await all(db.selectFrom('projects').selectAll().where('org_id', '=', t.orgId).orderBy('id')),
    overrides: await all(db.selectFrom('price_overrides').selectAll().where('org_id', '=', t.orgId).orderBy('id')),
    users: await all(db.selectFrom('users').select(['id', 'email', 'password_hash']).where('email', '=', t.email)),
    channels: (await sql`select * from alert_channels where org_id = ${t.orgId} order by id`.execute(db)).rows,
    providerKeys: (await sql`select * from provider_keys where project_id in (${t.projectId}, ${t.secondProjectId}) order by id`.execute(db)).rows,
    gateway: (await sql`select * from gateway_settings where project_id in (${t.projectId}, ${t.secondProjectId})`.execute(db)).rows,
    billing: (await sql`select * from billing_connections where org_id = ${t.orgId} order by provider`.execute(db)).rows,
    orgs: await all(db.selectFrom('orgs').selectAll().where('id', '=', t.orgId)),
    members: await all(db.selectFrom('memberships').select(['user_id', 'role', 'created_at']).where('org_id', '=', t.orgId).orderBy('user_id')),
    invitations: await all(db.selectFrom('invitations').selectAll().where('org_id', '=', t.orgId).orderBy('id')),
    audit: await all(db.selectFrom('audit_log').select(['id', 'action', 'target_id']).where('org_id', '=', t.orgId).orderBy('id')),
  };
}

/** Every stored secret digest (password hashes, key and session token hashes, provider key ciphertexts). */
export async function storedSecrets(app: TestApp): Promise<string[]> {
  const db = app.ctx.db.kysely;
  const users = await db.selectFrom('users').select('password_hash as s').execute();
  const keys = await db.selectFrom('api_keys').select('key_hash as s').execute();
  const sessions = await db.selectFrom('sessions').select('token_hash as s').execute();
  const invitations = await db.selectFrom('invitations').select('token_hash as s').execute();
  const provider = (await sql<{ s: string }>`select ciphertext as s from provider_keys`.execute(db)).rows;
  const billing = (await sql<{ s: string }>`select ciphertext as s from billing_connections`.execute(db)).rows;
  // A password hash is scrypt$N$r$p$salt$hash: its salt and hash must not leak on their own either.
  const parts = users.flatMap((u) => String(u.s).split('$').slice(-2));
  return [...users, ...keys, ...sessions, ...invitations, ...provider, ...billing].map((r) => String(r.s)).concat(parts).filter((s) => s.length >= 16);
}

/** Fails when an answer holds a password hash (scrypt$...) or any stored hash or ciphertext. */
export function expectNoSecrets(answers: readonly string[], secrets: readonly string[]): void {
  const found: string[] = [];
  for (const text of answers) {
    if (text.includes('scrypt$')) found.push(`scrypt hash in: ${text.slice(0, 200)}`);
    for (const hex of text.match(/[0-9a-f]{64}/gi) ?? []) if (secrets.includes(hex)) found.push(`stored hash ${hex} in: ${text.slice(0, 200)}`);
    for (const s of secrets) if (!/^[0-9a-f]{64}$/i.test(s) && text.includes(s)) found.push(`stored secret in: ${text.slice(0, 200)}`);
  }
  expect(found).toEqual([]);
}

/** The tenant's id for a path or query parameter that names one of its things. */
export function entityIdOf(op: Operation, param: string, t: SeededTenant): string | undefined {
  if (param === 'event_id') return t.eventId;
  if (param === 'budget_id') return t.budgetId;
  if (param === 'user_id') return op.path.startsWith('/api/members/') ? t.memberUserId : undefined;
  if (param !== 'id') return undefined;
  if (op.path.startsWith('/api/budgets/')) return t.budgetId;
  if (op.path.startsWith('/api/rate-limits/')) return t.rateLimitId;
  if (op.path.startsWith('/api/keys/')) return t.keyId;
  if (op.path.startsWith('/api/alert-channels/')) return t.channelId;
  if (op.path.startsWith('/api/prices/overrides/')) return t.overrideId;
  if (op.path.startsWith('/api/invitations/')) return t.invitationId;
  if (op.path.startsWith('/api/projects/')) return t.secondProjectId;
  if (op.path.startsWith('/api/sessions/')) return t.sessionId;
  return undefined;
}

/** A call each documented gateway route answers with its provider's work (the rest speak OpenAI's chat). */
const PROXY_PATHS: Record<string, string> = {
  anthropic: 'v1/messages',
  google: 'v1beta/models/gemini-2.5-flash:generateContent',
  azure: 'openai/deployments/gpt-4o/chat/completions',
  cohere: 'v2/chat',
};

/** Parameters that name something every tenant shares (a provider, a proxied path), not an id. */
const SHARED: Record<string, (op: Operation) => string> = {
  provider: () => 'openai',
  host: () => 'groq',
  path: (op) => PROXY_PATHS[op.path.split('/')[2]] ?? 'v1/chat/completions',
};

/**
 * Values for every path parameter of `op`, naming the tenant's own things. Throws for a
 * parameter nobody taught these tests, so a new route cannot go untested.
 */
export function pathValues(op: Operation, t: SeededTenant): { values: Record<string, string>; addressesTenant: boolean } {
  const values: Record<string, string> = {};
  let addressesTenant = false;
  for (const p of op.pathParams) {
    const id = entityIdOf(op, p, t);
    if (id !== undefined) addressesTenant = true;
    const value = id ?? SHARED[p]?.(op);
    if (value === undefined) throw new Error(`${op.method} ${op.path}: no id for {${p}}; teach test/security/tenant-data.ts which tenant thing it names`);
    values[p] = value;
  }
  return { values, addressesTenant };
}
