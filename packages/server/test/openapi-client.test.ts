/**
 * A client generated from /api/openapi.json with openapi-typescript, used through openapi-fetch
 * the way an API user would: the program type-checks against the generated types, runs against
 * the server, and a program that reads a field the API does not answer does not compile.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiContract } from './helpers/contract.js';
import { newTenant } from './helpers/accounts.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** What an API user writes: track a call, set a budget, read the summary, the budgets and the events. */
const CLIENT = `
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export async function useApi(baseUrl: string, token: string, fetch: (request: Request) => Promise<Response>) {
  const api = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${token}\` }, fetch });
  const tracked = await api.POST('/api/events/track', { body: { provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'search' } });
  if (!tracked.data) throw new Error(\`track failed: \${tracked.error?.error.message}\`);
  const cost: number | null = tracked.data.cost;
  const budget = await api.POST('/api/budgets', { body: { name: 'Search', amount: 10, period: 'monthly', scope: { feature: 'search' } } });
  if (!budget.data) throw new Error(\`budget failed: \${budget.error?.error.code}\`);
  const budgets = await api.GET('/api/budgets');
  const summary = await api.GET('/api/costs/summary', { params: { query: { days: 7, tz: 'UTC' } } });
  const events = await api.GET('/api/events', { params: { query: { feature: 'search', limit: 10 } } });
  if (!budgets.data || !summary.data || !events.data) throw new Error('a read failed');
  const first = events.data.events[0];
  return {
    eventId: tracked.data.event_id,
    cost,
    duplicate: tracked.data.duplicate,
    budgetId: budget.data.id,
    budgetSpent: budgets.data.budgets.map((b) => ({ id: b.id, spent: b.status.spent, period: b.period })),
    total: summary.data.total_spend,
    byModel: summary.data.by_model,
    primaryBudget: summary.data.budget_status?.budget ?? null,
    listed: events.data.events.map((e) => e.event_id),
    firstCost: first?.cost ?? null,
    usageMissing: first?.usage_missing ?? null,
    nextCursor: events.data.next_cursor,
  };
}
`;

/** The same client reading a summary field the API does not answer and sending a count as a string. */
const WRONG = `
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export async function wrong(baseUrl: string) {
  const api = createClient<paths>({ baseUrl });
  const summary = await api.GET('/api/costs/summary');
  const tracked = await api.POST('/api/events/track', { body: { provider: 'openai', model: 'gpt-4', input_tokens: '1', output_tokens: 1 } });
  return [summary.data?.total_spend_usd, tracked.data?.cost];
}
`;

function diagnostics(dir: string, file: string): string[] {
  const program = ts.createProgram([join(dir, file)], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('a typed client generated from the OpenAPI document', () => {
  let dir: string;
  let app: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmlab-client-'));
    // The generated program resolves openapi-fetch (and typescript's libs) from the repository.
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const { doc } = await apiContract();
    writeFileSync(join(dir, 'api.ts'), astToString(await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0])));
    writeFileSync(join(dir, 'client.ts'), CLIENT);
    writeFileSync(join(dir, 'wrong.ts'), WRONG);
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks a program calling track, budgets, summary and events', () => {
    expect(diagnostics(dir, 'client.ts')).toEqual([]);
  });

  it('refuses a program that reads a field the API does not answer, or sends a value of the wrong type', () => {
    const errors = diagnostics(dir, 'wrong.ts');
    expect(errors.some((e) => e.startsWith('wrong.ts:9') && e.includes("Property 'total_spend_usd' does not exist"))).toBe(true);
    expect(errors.some((e) => e.startsWith('wrong.ts:8') && e.includes("Type 'string' is not assignable to type 'number'"))).toBe(true);
  });

  it('runs against the server: the tracked cost is in the summary, the budget and the event list', async () => {
    const js = ts.transpileModule(CLIENT, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    writeFileSync(join(dir, 'client.mjs'), js);
    const { useApi } = (await import(pathToFileURL(join(dir, 'client.mjs')).href)) as { useApi: (baseUrl: string, token: string, fetch: (r: Request) => Promise<Response>) => Promise<Record<string, unknown>> };
    const t = await newTenant(app);
    // In process, through the test helper: each answer is also checked against the document.
    const viaApp = async (r: Request) => {
      const url = new URL(r.url);
      const body = r.method === 'GET' ? undefined : await r.text();
      return app.request(url.pathname + url.search, { method: r.method, headers: Object.fromEntries(r.headers), body });
    };
    const result = await useApi('http://llmlab.test', t.token, viaApp);
    // gpt-4 at $30 / $60 per million tokens: 1,000 input and 500 output tokens cost $0.06.
    expect(result).toMatchObject({ cost: 0.06, duplicate: false, total: 0.06, byModel: { 'openai/gpt-4': 0.06 }, primaryBudget: 10, firstCost: 0.06, usageMissing: false, nextCursor: null });
    expect(result.listed).toEqual([result.eventId]);
    expect(result.budgetSpent).toEqual([{ id: result.budgetId, spent: 0.06, period: 'monthly' }]);
  });
});
