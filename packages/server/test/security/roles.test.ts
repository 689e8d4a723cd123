/**
 * Every route of /api/openapi.json that needs a credential, called by a viewer, a member, an
 * admin and an owner of one org, lowest role first. A role below the route's declared role must
 * get the role refusal (403) and leave the org's stored data exactly as it was; a role at or
 * above it must not. The expected verdicts come from docs/security.md's table, which is
 * generated from the same declarations: a route whose declaration changes fails here until the
 * table is regenerated, and the table cannot claim what the server does not do.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type GatewayUpstream, startGatewayUpstream } from '../gateway/gateway-upstream.js';
import { addMember, json, type TestMember } from '../helpers/accounts.js';
import { pointGatewayAt } from '../helpers/gateway-upstreams.js';
import { createTestApp } from '../helpers/test-app.js';
import { fillPath, type Operation, operationsOf, sampleOf } from './openapi.js';
import { pathValues, seedTenant, snapshotTenant } from './tenant-data.js';

const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
type Role = (typeof ROLES)[number];

/** The table of docs/security.md: route -> role -> allowed. */
function documentedVerdicts(): Map<string, Record<Role, boolean>> {
  const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/security.md');
  const table = new Map<string, Record<Role, boolean>>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\| `(\w+ \S+)` \| (✓|403) \| (✓|403) \| (✓|403) \| (✓|403) \|/);
    if (m) table.set(m[1], { viewer: m[2] === '✓', member: m[3] === '✓', admin: m[4] === '✓', owner: m[5] === '✓' });
  }
  return table;
}

const app = await createTestApp();
const upstream: GatewayUpstream = await startGatewayUpstream();
pointGatewayAt(app.ctx.config, upstream.url);
const org = await seedTenant(app, 'roles');
const people: Record<Role, TestMember> = {
  owner: { token: org.token, userId: '', email: org.email, password: org.password },
  admin: await addMember(app, org.token, 'admin'),
  member: await addMember(app, org.token, 'member'),
  viewer: await addMember(app, org.token, 'viewer'),
};
const operations = operationsOf(await json(app.request('/api/openapi.json'))).filter((op) => op.bearer);
const verdicts = documentedVerdicts();
afterAll(async () => {
  await upstream.close();
  await app.close();
});

const ROLE_REFUSAL = /^this needs the (viewer|member|admin|owner) role \(you are (viewer|member|admin|owner)\)$/;

async function send(op: Operation, person: TestMember): Promise<{ status: number; message: string | undefined; text: string }> {
  // A route may have logged this person out (POST /api/auth/logout): they log in again first.
  if ((await app.request('/api/me', { token: person.token })).status === 401) {
    person.token = (await json<{ token: string }>(app.request('/api/auth/login', { body: { email: person.email, password: person.password } }))).token;
  }
  const query = new URLSearchParams(op.queryParams.filter((q) => q.required).map((q) => [q.name, String(sampleOf(q.schema))]));
  const url = `${fillPath(op.path, pathValues(op, org).values)}${query.size ? `?${query}` : ''}`;
  const body = op.body ? sampleOf(op.body) : op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
  const res = await app.request(url, { method: op.method, token: person.token, body });
  const text = await res.text();
  const message = res.status === 403 ? (JSON.parse(text) as { error: { message: string } }).error.message : undefined;
  return { status: res.status, message, text };
}

describe('each role gets exactly what docs/security.md says, on every route', () => {
  it('covers every route that needs a credential, each in the table', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.filter((op) => !verdicts.has(`${op.method} ${op.path}`)).map((op) => `${op.method} ${op.path}`)).toEqual([]);
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (name, op) => {
    const expected = verdicts.get(name) as Record<Role, boolean>;
    const problems: string[] = [];
    let before = await snapshotTenant(app, org);
    for (const role of ROLES) {
      const r = await send(op, people[role]);
      const refused = r.status === 403 && ROLE_REFUSAL.test(r.message ?? '');
      if (r.status >= 500) problems.push(`${role}: server error ${r.text.slice(0, 200)}`);
      if (expected[role] && refused) problems.push(`${role}: refused (${r.message}) but the table allows it`);
      if (!expected[role]) {
        if (!refused) problems.push(`${role}: answered ${r.status} ${r.text.slice(0, 120)}; the table refuses it with 403`);
        else if (!r.message?.includes(`(you are ${role})`)) problems.push(`${role}: refusal names another role: ${r.message}`);
        const after = await snapshotTenant(app, org);
        if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${role}: a refused call changed the org's data`);
        before = after;
      } else {
        before = await snapshotTenant(app, org);
      }
    }
    expect(problems).toEqual([]);
  });
});
