import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

function readConfig(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
}

describe('llmlab init (non-interactive)', () => {
  it('checks the key with the server, then saves it with mode 0600', async () => {
    const account = await signupUser(server.baseUrl);
    const configDir = tempDir();
    const { code, stdout } = await runCli(['init', '--base-url', server.baseUrl, '--api-key', account.apiKey], { configDir });
    expect(code).toBe(0);
    expect(stdout).toContain(`✔ Connected to ${server.baseUrl}: project`);
    expect(stdout).toContain(`✔ Saved to ${join(configDir, 'config.json')}`);
    expect(readConfig(configDir)).toEqual({ base_url: server.baseUrl, api_key: account.apiKey });
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
    // The saved key is what later commands use.
    const status = await runCli(['status', '--json'], { configDir });
    expect(JSON.parse(status.stdout).total_spend).toBe(0);
  });

  it('takes the key and server from LLMLAB_API_KEY and LLMLAB_BASE_URL', async () => {
    const account = await signupUser(server.baseUrl);
    const configDir = tempDir();
    const { code } = await runCli(['init'], { configDir, env: { LLMLAB_API_KEY: account.apiKey, LLMLAB_BASE_URL: server.baseUrl } });
    expect(code).toBe(0);
    expect(readConfig(configDir).api_key).toBe(account.apiKey);
  });

  it('saves nothing when the server rejects the key', async () => {
    const configDir = tempDir();
    const { code, stderr } = await runCli(['init', '--base-url', server.baseUrl, '--api-key', 'llmlab_notarealkeynotarealkey'], { configDir });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Error: The server at ${server.baseUrl} rejected the API key; check the key (the dashboard lists them under Settings) and try again.\n`,
    );
    expect(() => statSync(join(configDir, 'config.json'))).toThrow();
  });

  it('signs up with --email and --password and saves a key that can set budgets', async () => {
    const configDir = tempDir();
    const email = `cli-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const { code, stdout } = await runCli(
      ['init', '--base-url', server.baseUrl, '--signup', '--email', email, '--password', 'correct horse battery'],
      { configDir },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('scopes admin, ingest, read');
    expect(readConfig(configDir).api_key).toMatch(/^llmlab_/);
    const budget = await runCli(['budget', '--amount', '10'], { configDir });
    expect(budget.code).toBe(0);
    // Logging in again on another machine makes another key for the same project.
    const other = tempDir();
    const login = await runCli(['init', '--base-url', server.baseUrl, '--email', email, '--password', 'correct horse battery'], { configDir: other });
    expect(login.code).toBe(0);
    const budgets = JSON.parse((await runCli(['budget', '--json'], { configDir: other })).stdout);
    expect(budgets[0].amount).toBe(10);
  });

  it('needs a key or an account when there is no terminal to ask (exit 2)', async () => {
    const { code, stderr } = await runCli(['init', '--base-url', server.baseUrl]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'Error: llmlab init needs a terminal to ask questions; pass --api-key (or set LLMLAB_API_KEY), or --email and --password.\n',
    );
  });
});

describe('llmlab config', () => {
  it('shows settings with the key masked and where each comes from', async () => {
    const configDir = tempDir();
    await runCli(['config', 'set', 'api_key', 'llmlab_0123456789abcdefghijklmnopqrstuv'], { configDir });
    const { stdout, code } = await runCli(['config'], { configDir, env: { LLMLAB_BASE_URL: 'http://10.0.0.5:9000' } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/base_url\s+http:\/\/10\.0\.0\.5:9000\s+environment/);
    expect(stdout).toMatch(/api_key\s+llmlab_0123…stuv\s+config file/);
    expect(stdout).not.toContain('0123456789abcdef');
    const json = JSON.parse((await runCli(['config', '--json'], { configDir })).stdout);
    expect(json.settings.api_key).toEqual({ value: 'llmlab_0123…stuv', source: 'file' });
  });

  it('sets, gets and unsets a setting, validating it first', async () => {
    const configDir = tempDir();
    expect((await runCli(['config', 'set', 'timezone', 'Europe/Paris'], { configDir })).code).toBe(0);
    expect((await runCli(['config', 'get', 'timezone'], { configDir })).stdout).toBe('Europe/Paris\n');
    expect((await runCli(['config', 'set', 'base_url', 'https://llmlab.example.com/'], { configDir })).code).toBe(0);
    expect(readConfig(configDir)).toEqual({ timezone: 'Europe/Paris', base_url: 'https://llmlab.example.com' });
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).toBe(0o600);

    const badZone = await runCli(['config', 'set', 'timezone', 'Moon/Base'], { configDir });
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toBe('Error: "Moon/Base" is not a time zone; use an IANA name such as UTC or Europe/Paris.\n');
    const badKey = await runCli(['config', 'set', 'colour', 'red'], { configDir });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toBe('Error: "colour" is not a setting; use one of base_url, api_key, timezone.\n');

    expect((await runCli(['config', 'unset', 'timezone'], { configDir })).code).toBe(0);
    expect(readConfig(configDir)).toEqual({ base_url: 'https://llmlab.example.com' });
  });

  it('reveals the key only when asked', async () => {
    const configDir = tempDir();
    const key = 'llmlab_revealmerevealmerevealme01';
    await runCli(['config', 'set', 'api_key', key], { configDir });
    expect((await runCli(['config', 'get', 'api_key'], { configDir })).stdout).toBe('llmlab_reve…me01\n');
    expect((await runCli(['config', 'get', 'api_key', '--reveal'], { configDir })).stdout).toBe(`${key}\n`);
  });

  it('explains a config file that is not JSON', async () => {
    const configDir = tempDir();
    writeFileSync(join(configDir, 'config.json'), '{ not json');
    const { code, stderr } = await runCli(['config'], { configDir });
    expect(code).toBe(1);
    expect(stderr).toBe(`Error: ${join(configDir, 'config.json')} is not valid JSON; fix it or delete it and run \`llmlab init\` again.\n`);
  });
});
