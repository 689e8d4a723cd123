/**
 * Org B visits every route of /api/openapi.json with org A's ids in the path, the query and
 * `project_id`, with B's session, B's default key and B's admin key. A route addressing one of
 * A's things must answer 403 or 404; a collection must not show any of A's data; and A's stored
 * data must be exactly as it was. A route with a path parameter this file cannot fill fails:
 * a new route is covered or the suite is red.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayUpstream, startGatewayUpstream } from '../gateway/gateway-upstream.js';
import { json } from '../helpers/accounts.js';
import { pointGatewayAt } from '../helpers/gateway-upstreams.js';
import { createTestApp } from '../helpers/test-app.js';
import { fillPath, type Operation, operationsOf, sampleOf } from './openapi.js';
import { entityIdOf, expectNoSecrets, pathValues, seedTenant, snapshotTenant, storedSecrets } from './tenant-data.js';

const app = await createTestApp();
const upstream: GatewayUpstream = await startGatewayUpstream();
// The proxy reads its upstream per call: point it at the local fake so nothing leaves the machine.
pointGatewayAt(app.ctx.config, upstream.url);
const a = await seedTenant(app, 'org-a');
const b = await seedTenant(app, 'org-b');
const operations = operationsOf(await json(app.request('/api/openapi.json')));
afterAll(async () => {
  await upstream.close();
  await app.close();
});

const answers: string[] = [];

async function send(op: Operation, url: string, credential: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (op.bearer) headers.authorization = `Bearer ${credential}`;
  else headers['x-llmlab-key'] = credential;
  const body = op.body ? sampleOf(op.body) : op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
  const res = await app.request(url, { method: op.method, headers, body });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, text };
}

describe('org B cannot see or touch org A through any route of the OpenAPI document', () => {
  beforeEach(async () => {
    // A route may log B out (POST /api/auth/logout): B logs in again so every route is tried with a live session.
    if ((await app.request('/api/me', { token: b.token })).status === 401) {
      const res = await json<{ token: string }>(app.request('/api/auth/login', { body: { email: b.email, password: b.password } }));
      b.token = res.token;
    }
  });

  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const op of operations) expect(() => pathValues(op, a)).not.toThrow();
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (_name, op) => {
    const before = await snapshotTenant(app, a);
    const { values, addressesTenant: addressesA } = pathValues(op, a);
    const query = new URLSearchParams();
    for (const q of op.queryParams) {
      const id = entityIdOf(op, q.name, a);
      if (id !== undefined) query.set(q.name, id);
      else if (q.required) query.set(q.name, String(sampleOf(q.schema)));
    }
    const addressed = addressesA || op.queryParams.some((q) => entityIdOf(op, q.name, a) !== undefined);
    const base = fillPath(op.path, values);
    const withProject = new URLSearchParams(query);
    withProject.set('project_id', a.projectId);
    const problems: string[] = [];
    for (const [who, credential] of [['session', b.token], ['key', b.apiKey], ['admin key', b.adminKey]] as const) {
      for (const url of [`${base}?${withProject}`, query.size ? `${base}?${query}` : base]) {
        const r = await send(op, url, credential);
        const label = `${who} ${op.method} ${url} -> ${r.status}`;
        if (r.status >= 500) problems.push(`${label}: server error ${r.text.slice(0, 200)}`);
        else if (addressed && r.status !== 403 && r.status !== 404) problems.push(`${label}: expected 403 or 404 for org A's id`);
        else if (op.bearer && url.includes('project_id=') && r.status !== 403 && r.status !== 404) problems.push(`${label}: expected 403 or 404 for org A's project`);
        else if (r.status < 300) {
          const leaked = a.markers.filter((m) => r.text.includes(m) && !url.includes(m));
          if (leaked.length) problems.push(`${label}: shows org A's ${leaked.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await snapshotTenant(app, a)).toEqual(before);
    const provider = `sk-${a.markers[0]}-provider-key`;
    expect(upstream.exchanges.filter((x) => JSON.stringify(x.headers).includes(provider))).toEqual([]);
    expectNoSecrets(answers.splice(0), await storedSecrets(app));
  });
});
