import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, cliUser, runCli } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

/** The owner of a fresh org, with a CLI holding a key of every scope. */
async function newOwner() {
  const account = await signupUser(server.baseUrl);
  return cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token));
}

/** The table row that starts with `name`, split into its cells. */
function rowOf(stdout: string, name: string): string[] | undefined {
  return stdout
    .split('\n')
    .find((line) => line.trim().startsWith(`${name} `))
    ?.trim()
    .split(/\s{2,}/);
}

describe('llmlab keys', () => {
  it('creates a key with its own limits, prints it once, and lists the limits with exact figures', async () => {
    const cli = await newOwner();
    const created = await cli.run([
      'keys', 'create', 'team-a', '--scopes', 'ingest,read', '--budget', '5', '--period', 'weekly', '--rpm', '10', '--tpm', '20000',
      '--models', 'gpt-4o-mini, gpt-4o', '--providers', 'openai', '--expires', '2099-12-31',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^✔ Created the key "team-a" \(ingest, read\)\. Copy it now: it is shown this once\.\n {2}llmlab_\S+\n$/);
    const secret = created.stdout.split('\n')[1].trim();

    const json = JSON.parse((await cli.run(['keys', '--json'])).stdout) as Record<string, unknown>[];
    const listed = json.find((k) => k.name === 'team-a');
    expect(secret.startsWith(listed?.prefix as string)).toBe(true);
    expect(listed).toMatchObject({
      allowed_models: ['gpt-4o-mini', 'gpt-4o'],
      allowed_providers: ['openai'],
      expires_at: '2099-12-31T00:00:00.000Z',
      rate_limit: { requests_per_minute: 10, tokens_per_minute: 20000, cost_per_hour: null },
      budget: { amount: 5, period: 'weekly', hard_limit: true, spent: 0, remaining: 5 },
    });

    const list = await cli.run(['keys']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\s*Name\s+Key\s+Scopes\s+Models\s+Providers\s+Expires\s+Rate limit\s+Budget\n/);
    expect(rowOf(list.stdout, 'team-a')).toEqual([
      'team-a', `${listed?.prefix}…`,
      'ingest,read', 'gpt-4o-mini,gpt-4o', 'openai', '2099-12-31', '10 req/min, 20,000 tok/min', '$0.00 of $5.00 weekly',
    ]);
    // The CLI's own key has no limits of its own.
    expect(rowOf(list.stdout, 'cli tests')?.slice(3)).toEqual(['-', '-', '-', '-', '-']);

  });

  it('refuses bad input with exit 2 before any request', async () => {
    // No server address nor key: a request would fail with exit 1, so exit 2 means none was sent.
    const cases: [string[], string][] = [
      [['keys', 'create', 'x', '--scopes', 'ingest,write'], '"write" is not one of ingest, read, admin.'],
      [['keys', 'create', 'x', '--budget', 'ten'], '"ten" is not an amount in USD'],
      [['keys', 'create', 'x', '--rpm', '0'], '"0" is not a whole number of 1 or more.'],
      [['keys', 'create', 'x', '--providers', 'bedrock'], '"bedrock" is not one of openai, anthropic, google, azure, cohere, groq, deepseek, mistral, together, fireworks, openrouter, x-ai, perplexity, cerebras, ollama, vllm.'],
      [['keys', 'create', 'x', '--expires', '2026-02-30'], '"2026-02-30" is not a date'],
      [['keys', 'create', 'x', '--period', 'weekly'], '--period sets the period of a budget: give --budget too.'],
      [['limits', 'create', '--name', 'nothing'], 'Give at least one limit: --rpm, --tpm or --cost-per-hour.'],
      [['limits', 'create', '--rpm', '5', '--per', 'team'], "Allowed choices are end_user, api_key, feature."],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { env: { LLMLAB_BASE_URL: 'http://127.0.0.1:9' } });
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(message);
    }
  });
});

describe('llmlab limits', () => {
  it('creates, lists and deletes a rate limit', async () => {
    const cli = await newOwner();
    expect((await cli.run(['limits'])).stdout).toBe('No rate limits yet; make one with `llmlab limits create --rpm 60`.\n');

    const created = await cli.run([
      'limits', 'create', '--name', 'per-customer', '--rpm', '10', '--cost-per-hour', '2.5', '--per', 'end_user', '--model', 'gpt-4o', '--json',
    ]);
    expect(created.code).toBe(0);
    const limit = JSON.parse(created.stdout);
    expect(limit).toMatchObject({
      name: 'per-customer',
      requests_per_minute: 10,
      tokens_per_minute: null,
      cost_per_hour: 2.5,
      per: 'end_user',
      scope: { model: 'gpt-4o' },
    });

    const plain = await cli.run(['limits', 'create', '--tpm', '50000']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^✔ Created the rate limit ".+": 50,000 tok\/min \(id \S+\)\n$/);

    const list = await cli.run(['limits']);
    expect(list.stdout).toMatch(/^\s*Name\s+Limits\s+Per\s+Counts\s+ID\n/);
    expect(rowOf(list.stdout, 'per-customer')).toEqual(['per-customer', '10 req/min, $2.50/h', 'end_user', 'model=gpt-4o', limit.id]);

    const deleted = await cli.run(['limits', 'delete', limit.id]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe(`✔ Deleted the rate limit ${limit.id}.\n`);
    const after = JSON.parse((await cli.run(['limits', '--json'])).stdout) as { id: string; tokens_per_minute: number }[];
    expect(after.map((l) => l.tokens_per_minute)).toEqual([50000]);

    const again = await cli.run(['limits', 'delete', limit.id]);
    expect(again.code).toBe(1);
  });
});
