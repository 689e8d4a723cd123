import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll } from 'vitest';

export const CLI_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(CLI_ROOT, 'bin', 'llmlab.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Config folder of this run (LLMLAB_CONFIG_DIR); a fresh one when absent. */
  configDir?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/** The environment of a child CLI: no inherited LLMLab or color settings, its own config folder. */
export function cliEnv(configDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LLMLAB_CONFIG_DIR: configDir };
  for (const name of ['LLMLAB_API_KEY', 'LLMLAB_BASE_URL', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export function tempDir(prefix = 'llmlab-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `llmlab <args>` as a real child process, stdin and stdout piped (no terminal). */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  const configDir = options.configDir ?? tempDir();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cliEnv(configDir, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`llmlab ${args.join(' ')} did not finish in time\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A user of a fresh server, as the CLI sees them: a config folder holding their key. */
export interface CliUser {
  configDir: string;
  env: Record<string, string>;
  run(args: string[], options?: Omit<CliRunOptions, 'configDir'>): Promise<CliResult>;
}

/**
 * A key with every scope (ingest, read, admin), made with the account's session as the
 * dashboard would: signup's first key only ingests and reads, and budgets need admin.
 */
export async function adminKey(baseUrl: string, sessionToken: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'cli tests', scopes: ['ingest', 'read', 'admin'] }),
  });
  if (response.status !== 201) throw new Error(`creating a key failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

export function cliUser(baseUrl: string, apiKey: string): CliUser {
  const configDir = tempDir();
  const env = { LLMLAB_BASE_URL: baseUrl, LLMLAB_API_KEY: apiKey };
  return {
    configDir,
    env,
    run: (args, options = {}) => runCli(args, { ...options, configDir, env: { ...env, ...options.env } }),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find escape codes.
export const ANSI = /\u001b\[/;

let emails = 0;

/** An email no other test uses, for a person to invite. */
export function freshEmail(name: string): string {
  return `${name}-${Date.now()}-${process.pid}-${++emails}@example.com`;
}

/** The token of an invitation link, as `llmlab members invite` prints it on its own line. */
export function inviteToken(stdout: string): string {
  const link = /https?:\/\/\S+\/invite\?token=\S+/.exec(stdout)?.[0];
  if (!link) throw new Error(`no invite link in:\n${stdout}`);
  return new URL(link).searchParams.get('token') as string;
}

/** Accepts an invitation as a new person would on the dashboard; answers their session token. */
export async function acceptInvitation(baseUrl: string, token: string, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, password: 'correct horse battery', name }),
  });
  if (response.status !== 200) throw new Error(`accepting failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * The real server process for a test file: started before its tests, stopped after them.
 * `server.baseUrl` is read inside the tests.
 */
export function useServerProcess(): { readonly baseUrl: string } {
  let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get baseUrl() {
      if (!server) throw new Error('the server is not started yet: read baseUrl inside a test');
      return server.baseUrl;
    },
  };
}

/** A new account with a CLI configured with its admin key, and its project's events sent through the batch API. */
export async function cliUserWithEvents(baseUrl: string, events: Record<string, unknown>[]): Promise<CliUser> {
  const account = await signupUser(baseUrl);
  const user = cliUser(baseUrl, await adminKey(baseUrl, account.token));
  const res = await fetch(`${baseUrl}/api/events/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  if (res.status !== 200) throw new Error(`the batch was refused: ${res.status} ${await res.text()}`);
  return user;
}
