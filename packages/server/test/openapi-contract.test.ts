/**
 * /api/openapi.json is the contract: every JSON answer has a full, strict schema, and the
 * validator the shared test helpers run on every answer (helpers/contract.ts) rejects an answer
 * the document does not describe.
 */
import { describe, expect, it } from 'vitest';
import { apiContract, type ApiDocument, ContractError } from './helpers/contract.js';
import { json, newTenant } from './helpers/accounts.js';
import { createTestApp } from './helpers/test-app.js';

type Schema = Record<string, unknown>;

const contract = await apiContract();
const doc = contract.doc;

/** The proxy relays the provider's own bodies: the one place an answer's schema is left open. */
const isProxy = (path: string) => path.startsWith('/proxy/');

function resolve(s: Schema): Schema {
  const ref = s.$ref as string | undefined;
  return ref ? resolve(doc.components?.schemas?.[ref.replace('#/components/schemas/', '')] ?? {}) : s;
}

/** Every object schema that has properties but accepts others, with where it is. */
function openObjects(s: Schema, where: string, seen = new Set<Schema>()): string[] {
  const node = resolve(s);
  if (seen.has(node)) return [];
  seen.add(node);
  const out: string[] = [];
  const props = node.properties as Record<string, Schema> | undefined;
  if (props && node.additionalProperties !== false) out.push(where);
  for (const [k, v] of Object.entries(props ?? {})) out.push(...openObjects(v, `${where}.${k}`, seen));
  if (node.items) out.push(...openObjects(node.items as Schema, `${where}[]`, seen));
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.push(...openObjects(node.additionalProperties as Schema, `${where}{}`, seen));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const [i, sub] of ((node[key] as Schema[] | undefined) ?? []).entries()) out.push(...openObjects(sub, `${where}|${i}`, seen));
  return out;
}

/** A schema that says nothing about the body: {} or an object with neither properties nor items nor a value schema. */
function isEmpty(s: Schema): boolean {
  const node = resolve(s);
  if (node.type === 'array') return !node.items || isEmpty(node.items as Schema);
  const props = Object.keys((node.properties as object | undefined) ?? {});
  const values = node.additionalProperties;
  return props.length === 0 && !(values && typeof values === 'object' && Object.keys(values).length > 0) && !node.anyOf && !node.enum && node.type !== 'string' && node.type !== 'boolean' && node.type !== 'number' && node.type !== 'integer';
}

function jsonAnswers(d: ApiDocument) {
  const out: { name: string; path: string; schema: Schema }[] = [];
  for (const [path, methods] of Object.entries(d.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const schema = r.content?.['application/json']?.schema;
        if (schema) out.push({ name: `${method.toUpperCase()} ${path} ${status}`, path, schema });
      }
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  const answers = jsonAnswers(doc);

  it('is what the server serves at /api/openapi.json', async () => {
    const app = await createTestApp();
    try {
      expect(await json(app.request('/api/openapi.json'))).toEqual(doc);
    } finally {
      await app.close();
    }
  });

  it('gives every JSON answer a schema, and only the proxy relays open bodies', () => {
    expect(answers.length).toBeGreaterThan(200);
    const empty = answers.filter((a) => isEmpty(a.schema)).map((a) => a.name);
    expect(empty.length).toBeGreaterThan(0);
    expect(empty.filter((name) => !isProxy(name.split(' ')[1]))).toEqual([]);
  });

  it('declares every object of every answer strict (additionalProperties: false)', () => {
    const open = answers.filter((a) => !isProxy(a.path)).flatMap((a) => openObjects(a.schema, a.name));
    expect(open).toEqual([]);
  });

  it('documents every error of the API routes as {error: {code, message, details?}}', () => {
    const errors = answers.filter((a) => a.path.startsWith('/api/') && Number(a.name.split(' ')[2]) >= 400);
    expect(errors.length).toBeGreaterThan(150);
    for (const e of errors) expect(e.schema, e.name).toEqual({ $ref: '#/components/schemas/Error' });
    expect(resolve({ $ref: '#/components/schemas/Error' })).toMatchObject({ required: ['error'], additionalProperties: false });
  });

  it('documents GET /api/recommendations as the array it answers', () => {
    const schema = doc.paths['/api/recommendations'].get.responses?.['200'].content?.['application/json'].schema as Schema;
    expect(schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Recommendation' } });
    expect(resolve(schema.items as Schema).required).toEqual(['id', 'type', 'title', 'description', 'estimated_monthly_savings', 'savings_percentage', 'confidence', 'evidence', 'action']);
  });

  it('documents the duplicate answer of POST /api/events/track and the CSV of GET /api/export', () => {
    expect(Object.keys(doc.paths['/api/events/track'].post.responses ?? {})).toEqual(expect.arrayContaining(['200', '201', '503']));
    expect(Object.keys(doc.paths['/api/export'].get.responses?.['200'].content ?? {})).toEqual(['application/json', 'text/csv']);
  });
});

describe('the answer validator of the test helpers', () => {
  const budget = {
    id: 'b1', name: 'Monthly budget', amount: 100, period: 'monthly', scope: null, per: null, thresholds: [50, 80, 100], alert_threshold: 80, hard_limit: false, timezone: 'UTC',
    created_at: '2026-11-01T00:00:00.000Z',
    status: { spent: 1, spent_nanos: 1e9, remaining: 99, percentage: 1, alert: false, exceeded: false, reached: [], period_start: '2026-11-01T00:00:00.000Z', period_end: '2026-12-01T00:00:00.000Z', value: null },
  };
  const answer = (body: unknown, status = 200, type = 'application/json') => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': type } });
  const rejection = async (method: string, path: string, res: Response) => {
    try {
      await contract.check(method, path, res);
    } catch (err) {
      expect(err).toBeInstanceOf(ContractError);
      return (err as Error).message;
    }
    throw new Error(`${method} ${path} ${res.status} was accepted`);
  };

  it('accepts an answer the document describes', async () => {
    await expect(contract.check('GET', '/api/budgets?x=1', answer({ budgets: [budget] }))).resolves.toBeUndefined();
    await expect(contract.check('GET', '/api/budgets/b1', answer({ error: { code: 'not_found', message: 'budget b1 not found' } }, 404))).resolves.toBeUndefined();
  });

  it('rejects a field the schema does not declare, naming method, path, status and the field', async () => {
    const message = await rejection('GET', '/api/budgets', answer({ budgets: [{ ...budget, owner: 'someone' }] }));
    expect(message).toContain('GET /api/budgets answered 200');
    expect(message).toContain('/budgets/0 must NOT have additional properties "owner"');
  });

  it('rejects a missing field, a wrong type and a wrong format', async () => {
    const { status: _status, ...withoutStatus } = budget;
    expect(await rejection('GET', '/api/budgets/b1', answer(withoutStatus))).toContain("must have required property 'status'");
    expect(await rejection('GET', '/api/budgets/b1', answer({ ...budget, amount: '100' }))).toContain('/amount must be number');
    expect(await rejection('GET', '/api/budgets/b1', answer({ ...budget, created_at: 1764547200000 }))).toContain('/created_at must be string');
    expect(await rejection('GET', '/api/budgets/b1', answer({ ...budget, created_at: 'yesterday' }))).toContain('/created_at must match format "date-time"');
  });

  it('rejects an object where the document says array (the old recommendations bug)', async () => {
    expect(await rejection('GET', '/api/recommendations', answer({ recommendations: [] }))).toContain('(body) must be array');
  });

  it('rejects a status, a media type or an error body the document does not give', async () => {
    expect(await rejection('GET', '/api/budgets', answer({ error: { code: 'internal', message: 'boom' } }, 500))).toContain('a status GET /api/budgets does not document');
    expect(await rejection('GET', '/api/budgets', answer('id,name\n', 200, 'text/csv'))).toContain('a media type');
    expect(await rejection('GET', '/api/budgets/b1', answer({ error: 'not found' }, 404))).toContain('/error must be object');
    expect(await rejection('GET', '/api/no-such-route', answer({ ok: true }))).toContain('the document has no operation GET /api/no-such-route');
  });

  it('fails the test whose request got an answer the document does not describe', async () => {
    const app = await createTestApp();
    try {
      const t = await newTenant(app);
      expect((await app.request('/api/keys', { token: t.token })).status).toBe(200);
      // A key whose stored scope the API does not know: listing it answers outside the document.
      await app.ctx.db.kysely
        .insertInto('api_keys')
        .values({ id: 'k-odd', project_id: t.projectId, name: 'odd', prefix: 'llmlab_odd', key_hash: 'x'.repeat(64), scopes: 'superuser', created_at: 0, last_used_at: null, revoked_at: null, created_by: null })
        .execute();
      await expect(app.request('/api/keys', { token: t.token })).rejects.toThrow(/GET \/api\/keys answered 200 .*\n.*\/keys\/\d\/scopes\/0 must be equal to one of the allowed values/);
    } finally {
      await app.close();
    }
  });
});
