/**
 * Every route of /api/openapi.json gets generated bad input with valid credentials: wrong types,
 * huge and negative numbers, 10,000-deep JSON, invalid UTF-8, a 10 MB body, SQL and script
 * injection strings, unknown fields, empty bodies, wrong content types, hostile query and path
 * values. No answer may be a 5xx or one /api/openapi.json does not describe, bad input must get
 * a 4xx, and the tenant's stored data (events, rollups, budgets, keys, channels, overrides,
 * provider keys, settings) must not change.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { type GatewayUpstream, startGatewayUpstream } from '../gateway/gateway-upstream.js';
import { json } from '../helpers/accounts.js';
import { apiContract } from '../helpers/contract.js';
import { pointGatewayAt } from '../helpers/gateway-upstreams.js';
import { createTestApp } from '../helpers/test-app.js';
import { type FuzzRequest, fuzzRequests } from './fuzz-inputs.js';
import { fillPath, type Operation, operationsOf } from './openapi.js';
import { expectNoSecrets, pathValues, seedTenant, snapshotTenant, storedSecrets } from './tenant-data.js';

const app = await createTestApp();
const upstream: GatewayUpstream = await startGatewayUpstream();
pointGatewayAt(app.ctx.config, upstream.url);
// The same app over the same database, called with raw bytes (the helper serialises bodies as JSON).
const hono = createApp(app.ctx);
const t = await seedTenant(app, 'fuzz');
const operations = operationsOf(await json(app.request('/api/openapi.json')));
const contract = await apiContract();
afterAll(async () => {
  await upstream.close();
  await app.close();
});

/** The URL a fuzz request goes to: the tenant's own ids, or a missing one when the request could otherwise act on them. */
function urlOf(op: Operation, r: FuzzRequest): string {
  const { values } = pathValues(op, t);
  // The proxy forwards to a path the upstream refuses, so no call is really made with bad input.
  if (op.path.startsWith('/proxy/')) values.path = 'v1/fuzz-unknown';
  const mayAct = op.method !== 'GET' && r.body === undefined;
  for (const p of op.pathParams) if (r.pathValue !== undefined || (mayAct && p === 'id')) values[p] = r.pathValue ?? 'fuzz-missing-id';
  const url = r.pathValue === undefined ? fillPath(op.path, values) : op.path.replace(/\{(\w+)\}/g, () => r.pathValue as string);
  return r.query ? `${url}?${r.query}` : url;
}

describe('generated bad input on every route of the OpenAPI document', () => {
  beforeEach(async () => {
    // POST /api/auth/logout ends the session whatever its body: log in again for the next route.
    if ((await app.request('/api/me', { token: t.token })).status === 401) {
      t.token = (await json<{ token: string }>(app.request('/api/auth/login', { body: { email: t.email, password: t.password } }))).token;
    }
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (_name, op) => {
    const before = await snapshotTenant(app, t);
    const requests = fuzzRequests(op);
    const problems: string[] = [];
    const answers: string[] = [];
    for (const r of requests) {
      const headers: Record<string, string> = { 'content-type': r.contentType ?? 'application/json' };
      if (op.bearer) headers.authorization = `Bearer ${t.token}`;
      else headers['x-llmlab-key'] = t.apiKey;
      const url = urlOf(op, r);
      const started = performance.now();
      const res = await hono.request(url, { method: op.method, headers, body: r.body === undefined || op.method === 'GET' ? undefined : typeof r.body === 'string' ? r.body : new Blob([new Uint8Array(r.body)]) });
      const ms = performance.now() - started;
      // Every answer, 4xx included, must be one the document gives for this route.
      const undocumented = await contract.check(op.method, url, res).then(() => null, (err: Error) => err.message);
      const text = await res.text();
      if (res.headers.get('content-type')?.includes('json')) answers.push(text);
      const label = `${r.what} -> ${res.status}`;
      if (undocumented) problems.push(`${label}: ${undocumented}`);
      if (res.status >= 500) problems.push(`${label}: ${text.slice(0, 300)}`);
      else if (r.invalid && (res.status < 400 || res.status >= 500)) problems.push(`${label}: bad input accepted (${text.slice(0, 200)})`);
      else if (ms > 5000) problems.push(`${label}: took ${Math.round(ms)} ms`);
    }
    expect(problems).toEqual([]);
    expect(await snapshotTenant(app, t)).toEqual(before);
    expectNoSecrets(answers, await storedSecrets(app));
  });
});
