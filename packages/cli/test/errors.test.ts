import { createServer } from 'node:net';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, cliUser, runCli } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

/** A port nothing listens on: bound, read, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function expectOneSentence(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(ANSI);
}

describe('llmlab failures', () => {
  it('says to fix the key when the server answers 401, and exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['status'], {
      env: { LLMLAB_BASE_URL: server.baseUrl, LLMLAB_API_KEY: 'llmlab_wrongwrongwrongwrongwrong' },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Error: The server at ${server.baseUrl} rejected the API key; set LLMLAB_API_KEY to a valid key.\n`);
    expectOneSentence(stderr);
  });

  it('says to run init when the saved key is wrong', async () => {
    const user = cliUser(server.baseUrl, 'unused');
    await user.run(['config', 'set', 'api_key', 'llmlab_revokedrevokedrevokedrevoked']);
    const { code, stderr } = await user.run(['status'], { env: { LLMLAB_API_KEY: undefined } });
    expect(code).toBe(1);
    expect(stderr).toContain('rejected the API key; run `llmlab init` to save a valid key.');
  });

  it('says to start the server when nothing listens (ECONNREFUSED), and exits 1', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, stderr } = await runCli(['status'], { env: { LLMLAB_BASE_URL: url, LLMLAB_API_KEY: 'llmlab_x' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^Error: Cannot reach the LLMLab server at ${url} \\(ECONNREFUSED\\); start it with \`llmlab serve\``));
    expectOneSentence(stderr);
  });

  it('asks for init when no key is configured', async () => {
    const { code, stderr } = await runCli(['optimize'], { env: { LLMLAB_BASE_URL: server.baseUrl } });
    expect(code).toBe(1);
    expect(stderr).toBe('Error: No API key is configured; run `llmlab init` or set LLMLAB_API_KEY.\n');
  });

  it('rejects a malformed date with a usage error (exit 2) before calling the server', async () => {
    const { code, stderr } = await runCli(['export', '--from', '2026-02-30'], { env: { LLMLAB_API_KEY: 'llmlab_x' } });
    expect(code).toBe(2);
    expect(stderr).toContain('"2026-02-30" is not a date; use YYYY-MM-DD (e.g. 2026-01-31) or an ISO 8601 time');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown command, an unknown option, a bad number and a missing option', async () => {
    const unknown = await runCli(['stauts']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'stauts'");
    const option = await runCli(['status', '--dayz', '3']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--dayz'");
    const days = await runCli(['status', '--days', 'seven']);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('"seven" is not a whole number of 1 or more.');
    const missing = await runCli(['track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '5']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--output-tokens <n>' not specified");
    const tz = await runCli(['status', '--tz', 'Mars/Olympus']);
    expect(tz.code).toBe(2);
    expect(tz.stderr).toContain('"Mars/Olympus" is not a time zone');
  });

  it('passes the server\'s validation message on, naming the field', async () => {
    const account = await signupUser(server.baseUrl);
    const user = cliUser(server.baseUrl, account.apiKey);
    const { code, stderr } = await user.run(['track', '--provider', 'nosuchprovider', '--model', 'x', '--input-tokens', '1', '--output-tokens', '1']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: .*provider.*\n$/);
    expectOneSentence(stderr);
  });
});

describe('llmlab help', () => {
  const commands = ['init', 'status', 'optimize', 'budget', 'export', 'config', 'serve', 'watch', 'forecast', 'track', 'members', 'audit'];

  it('lists every command, and each has --help with an example, exit 0', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const name of commands) expect(top.stdout).toMatch(new RegExp(`\\n  ${name} `));
    const results = await Promise.all(commands.map((name) => runCli([name, '--help'])));
    results.forEach((result, i) => {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: llmlab ${commands[i]}`);
      expect(result.stdout).toMatch(new RegExp(`Examples:\\n  \\$ llmlab ${commands[i]}`));
      expect(result.stdout).not.toMatch(ANSI);
    });
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
