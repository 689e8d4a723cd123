import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, BIN, adminKey, cliUser } from './helpers.js';
import { TmuxSession } from './tmux.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

async function newUser() {
  const account = await signupUser(server.baseUrl);
  return cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token));
}

const GPT4_CALL = ['track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '1000', '--output-tokens', '500'];

describe('llmlab track and status', () => {
  it('prices a gpt-4 call at $0.06 and sums two of them to $0.12 in every total', async () => {
    const user = await newUser();
    const first = await user.run(GPT4_CALL);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Tracked openai/gpt-4, 1,000 in / 500 out: $0.06');
    expect((await user.run(GPT4_CALL)).code).toBe(0);

    const status = await user.run(['status', '--tz', 'UTC']);
    expect(status.code).toBe(0);
    expect(status.stderr).toBe('');
    const out = status.stdout;
    expect(out).toMatch(/Total Spend\s+\$0\.12\s+2 calls/);
    expect(out).toMatch(/This Month\s+\$0\.12/);
    expect(out).toMatch(/Today\s+\$0\.12/);
    expect(out).toMatch(/By Provider\n\s+Provider\s+Spend\s+Share\n\s+openai\s+\$0\.12\s+100\.0%/);
    expect(out).toMatch(/By Model\n\s+Model\s+Spend\s+Share\n\s+openai\/gpt-4\s+\$0\.12\s+100\.0%/);
    expect(out).toContain('Budget  none set');
    expect(out).not.toMatch(ANSI);
  });

  it('lines up the spend column and orders models by spend', async () => {
    const user = await newUser();
    await user.run(GPT4_CALL);
    await user.run(['track', '--provider', 'openai', '--model', 'gpt-3.5-turbo', '--input-tokens', '1000', '--output-tokens', '1000']);
    const { stdout } = await user.run(['status']);
    const models = stdout.split('By Model\n')[1].split('\n\n')[0].split('\n');
    expect(models[1]).toMatch(/^\s+openai\/gpt-4\s+\$0\.06\s/);
    expect(models[2]).toMatch(/^\s+openai\/gpt-3\.5-turbo\s+\$0\.002\d*\s/);
    // Right-aligned: every amount ends in the same column.
    const ends = models.slice(1).map((line) => line.indexOf('$') + line.slice(line.indexOf('$')).indexOf(' '));
    expect(new Set(ends).size).toBe(1);
  });

  it('shows the budget with its percentage and a warning past the alert threshold', async () => {
    const user = await newUser();
    await user.run(GPT4_CALL);
    await user.run(GPT4_CALL);
    expect((await user.run(['budget', '--amount', '0.14'])).code).toBe(0);
    const warned = await user.run(['status']);
    expect(warned.stdout).toMatch(/Budget\s+\$0\.12 of \$0\.14 monthly\s+85\.7% ⚠ past the alert threshold/);

    expect((await user.run(['budget', '--amount', '1'])).code).toBe(0);
    const calm = await user.run(['status']);
    expect(calm.stdout).toMatch(/Budget\s+\$0\.12 of \$1\.00 monthly\s+12\.0%\n/);
    expect(calm.stdout).not.toContain('⚠');

    await user.run(['budget', '--amount', '0.10']);
    const over = await user.run(['status']);
    expect(over.stdout).toMatch(/120\.0% ✖ over budget/);
  });

  it('prints the exact summary with --json and honours --days and --tz', async () => {
    const user = await newUser();
    await user.run(GPT4_CALL);
    const { stdout, code } = await user.run(['status', '--json', '--days', '7', '--tz', 'Asia/Tokyo']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.total_spend).toBe(0.06);
    expect(summary.by_model).toEqual({ 'openai/gpt-4': 0.06 });
    expect(summary.by_provider).toEqual({ openai: 0.06 });
    expect(summary.daily_trend).toHaveLength(7);
    expect(summary.tz).toBe('Asia/Tokyo');
  });

  it('counts an unpriced call apart instead of pricing it at $0', async () => {
    const user = await newUser();
    const tracked = await user.run(['track', '--provider', 'openai', '--model', 'no-such-model-x', '--input-tokens', '10', '--output-tokens', '10']);
    expect(tracked.code).toBe(0);
    expect(tracked.stdout).toContain('unpriced (no price known for this model)');
    const { stdout } = await user.run(['status']);
    expect(stdout).toContain('1 call could not be priced and is not in these totals.');
  });

  it('records a call once when its --event-id is sent twice', async () => {
    const user = await newUser();
    await user.run([...GPT4_CALL, '--event-id', 'cli-once']);
    const again = await user.run([...GPT4_CALL, '--event-id', 'cli-once', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ duplicate: true, cost: 0.06, event_id: 'cli-once' });
    const summary = JSON.parse((await user.run(['status', '--json'])).stdout);
    expect(summary.total_spend).toBe(0.06);
    expect(summary.calls).toBe(1);
  });
});

describe('llmlab status with the response cache', () => {
  // An OpenAI stand-in: every chat completion reports 1,000 prompt and 500 completion tokens of gpt-4 ($0.06).
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const usage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage }));
    });
  });
  let proxied: Awaited<ReturnType<typeof startServerProcess>>;
  beforeAll(async () => {
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    proxied = await startServerProcess({ env: { LLMLAB_OPENAI_BASE_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` } });
  });
  afterAll(async () => {
    await proxied?.stop();
    await new Promise((r) => upstream.close(r));
  });

  it('shows what the cache saved once a call was answered from it', async () => {
    const account = await signupUser(proxied.baseUrl);
    const user = cliUser(proxied.baseUrl, await adminKey(proxied.baseUrl, account.token));
    const call = () =>
      fetch(`${proxied.baseUrl}/proxy/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', 'x-llmlab-key': account.apiKey, 'x-llmlab-cache': 'true' },
        body: JSON.stringify({ model: 'gpt-4', messages: [{ role: 'user', content: 'Hi' }] }),
      });
    expect((await user.run(['status'])).stdout).not.toContain('Saved by Cache');
    expect((await call()).headers.get('x-llmlab-cache')).toBe('MISS');
    // The answer is stored just after it is relayed: ask again until the cache answers.
    await expect.poll(async () => (await call()).headers.get('x-llmlab-cache')).toBe('HIT');
    await expect.poll(async () => JSON.parse((await user.run(['status', '--json'])).stdout).cache_hits).toBeGreaterThan(0);
    const { stdout } = await user.run(['status', '--tz', 'UTC']);
    const summary = JSON.parse((await user.run(['status', '--json'])).stdout);
    // Every call the cache did not answer cost $0.06; every one it answered saved that.
    expect(summary.total_spend).toBeCloseTo((summary.calls - summary.cache_hits) * 0.06, 9);
    expect(summary.cache_savings).toBeCloseTo(summary.cache_hits * 0.06, 9);
    const hits = summary.cache_hits === 1 ? '1 cache hit' : `${summary.cache_hits} cache hits`;
    expect(stdout).toMatch(new RegExp(`Saved by Cache\\s+\\$${summary.cache_savings.toFixed(2)}\\s+${hits}`));
  });
});

describe('llmlab colors', () => {
  async function statusOnTerminal(env: Record<string, string>): Promise<string> {
    const account = await signupUser(server.baseUrl);
    const user = cliUser(server.baseUrl, account.apiKey);
    const tty = new TmuxSession();
    try {
      await tty.start([process.execPath, BIN, 'status'], { ...user.env, LLMLAB_CONFIG_DIR: user.configDir, TERM: 'xterm-256color', ...env });
      await tty.waitFor('Budget');
      expect(await tty.exitStatus()).toBe(0);
      return await tty.screen(true);
    } finally {
      await tty.close();
    }
  }

  it('colors the output on a terminal, and not at all with NO_COLOR', async () => {
    const colored = await statusOnTerminal({});
    expect(colored).toMatch(ANSI);
    expect(colored).toContain('Total Spend');
    const plain = await statusOnTerminal({ NO_COLOR: '1' });
    expect(plain).toContain('Total Spend');
    expect(plain).not.toMatch(ANSI);
  });
});
