import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findPgBin, freePort, type PgCluster, requireTool, signupUser, startPgCluster } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, removeDir } from './helpers.js';

/**
 * LLMLab without a checkout: the packed @llmlab/server and @llmlab/cli installed with npm into an
 * empty folder outside the repository (third-party packages from the registry), then
 * `npx llmlab serve` answering the API and the dashboard on SQLite and on PostgreSQL. Slow: npm
 * install builds better-sqlite3 for the folder.
 */
const exec = promisify(execFile);
const REPO_ROOT = realpathSync(resolve(CLI_ROOT, '..', '..'));
const INSTALL_TIMEOUT_MS = 15 * 60_000;

const work = mkdtempSync(join(tmpdir(), 'llmlab-standalone-'));
const app = join(work, 'app');
let env: NodeJS.ProcessEnv;
let cluster: PgCluster | null = null;
let pgUrl: string;

/**
 * The environment of a user's shell: nothing that points npm or Node at the repository (the
 * npm_* variables of `npm test`, its node_modules/.bin on PATH) or configures LLMLab.
 */
function userEnv(): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|llmlab_)/i.test(name) || ['INIT_CWD', 'NODE_PATH', 'NODE_OPTIONS', 'DATABASE_URL', 'PORT', 'HOST'].includes(name)) continue;
    clean[name] = value;
  }
  clean.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !resolve(dir).startsWith(REPO_ROOT))
    .join(delimiter);
  clean.LLMLAB_CONFIG_DIR = join(work, 'config');
  clean.LLMLAB_LOG_LEVEL = 'warn';
  return clean;
}

/** Every symbolic link under `dir`, with where it leads. */
function symlinks(dir: string): { path: string; target: string }[] {
  const found: { path: string; target: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) found.push({ path, target: realpathSync(path) });
    else if (entry.isDirectory()) found.push(...symlinks(path));
  }
  return found;
}

beforeAll(async () => {
  const given = process.env.LLMLAB_TEST_DATABASE_URL;
  if (given) pgUrl = given;
  else {
    requireTool('postgresql');
    cluster = await startPgCluster(findPgBin() as string);
    pgUrl = cluster.url;
  }
  const { stdout } = await exec(process.execPath, [join(REPO_ROOT, 'scripts', 'pack.mjs'), '--out', join(work, 'tarballs')], { cwd: REPO_ROOT });
  const tarballs = stdout.trim().split('\n');
  env = userEnv();
  // A project of the user's own, so that npm installs here and not into a folder above.
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'my-llmlab', private: true }, null, 2)}\n`);
  await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], { cwd: app, env, maxBuffer: 16 * 1024 * 1024 });
}, INSTALL_TIMEOUT_MS);

afterAll(() => {
  for (const child of running) process.kill(-(child.pid as number), 'SIGKILL');
  cluster?.destroy();
  removeDir(work);
});

interface Serving {
  baseUrl: string;
  stderr(): string;
  /** Ctrl-c, as a terminal sends it: SIGINT to npx and the server it runs (one process group). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** `npx llmlab serve --port <free> ...args` in the installed folder, once it says it is running. */
async function serve(args: string[], extraEnv: Record<string, string> = {}): Promise<Serving> {
  const port = await freePort();
  const child = spawn('npx', ['--no-install', 'llmlab', 'serve', '--port', String(port), ...args], { cwd: app, env: { ...env, ...extraEnv }, detached: true });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  const deadline = Date.now() + 30_000;
  while (!stdout.includes('LLMLab is running') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  if (!stdout.includes('LLMLab is running')) {
    process.kill(-(child.pid as number), 'SIGKILL');
    throw new Error(`llmlab serve did not start:\n${stdout}\n${stderr}`);
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    stop: () => {
      process.kill(-(child.pid as number), 'SIGINT');
      return exited;
    },
  };
}

/** What a user checks after starting it: health, an account, one tracked call in the summary, the dashboard. */
async function checkServing(baseUrl: string, database: 'sqlite' | 'postgres'): Promise<void> {
  const health = await fetch(`${baseUrl}/health`);
  expect(await health.json()).toEqual({ status: 'ok', database });

  const account = await signupUser(baseUrl);
  const auth = { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' };
  const track = await fetch(`${baseUrl}/api/events/track`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ provider: 'openai', model: 'gpt-4', input_tokens: 1000, output_tokens: 500, feature: 'summarization' }),
  });
  expect(track.status).toBe(201);
  expect(await track.json()).toMatchObject({ success: true, cost: 0.06, priced: true });
  const summary = await fetch(`${baseUrl}/api/costs/summary?days=30`, { headers: auth });
  expect(await summary.json()).toMatchObject({ total_spend: 0.06, calls: 1, by_model: { 'openai/gpt-4': 0.06 }, by_feature: { summarization: 0.06 } });

  const index = await fetch(`${baseUrl}/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toContain('text/html');
  const html = await index.text();
  expect(html).toContain('<title>LLMLab</title>');
  expect(html).toContain('<div id="root"></div>');
  // The built page, not the source one: its script is a hashed asset, and the server has it.
  const script = html.match(/<script type="module" crossorigin src="(\/assets\/index-[^"]+\.js)"><\/script>/);
  expect(script).not.toBeNull();
  const asset = await fetch(`${baseUrl}${script?.[1]}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('content-type')).toContain('javascript');
}

/** Stopped by ctrl-c without a stack trace, and no longer listening. */
async function expectStopped(server: Serving): Promise<void> {
  const { code, signal } = await server.stop();
  // npx passes ctrl-c on and then ends by the same signal; the server itself exits 0.
  expect(code === 0 || signal === 'SIGINT').toBe(true);
  expect(server.stderr()).not.toMatch(/\n\s+at /);
  await expect(fetch(`${server.baseUrl}/health`)).rejects.toThrow();
}

describe('LLMLab without a checkout', () => {
  it('installs from the packed tarballs alone, with nothing linked into the repository', () => {
    const modules = join(app, 'node_modules');
    for (const pkg of ['server', 'cli']) {
      expect(lstatSync(join(modules, '@llmlab', pkg)).isSymbolicLink()).toBe(false);
      expect(JSON.parse(readFileSync(join(modules, '@llmlab', pkg, 'package.json'), 'utf8')).version).toBe('0.1.0');
    }
    // @llmlab/core is bundled into the server and the CLI, not installed.
    expect(existsSync(join(modules, '@llmlab', 'core'))).toBe(false);
    expect(existsSync(join(modules, '@llmlab', 'server', 'web', 'index.html'))).toBe(true);
    expect(readdirSync(join(modules, '@llmlab', 'server')).filter((f) => f.endsWith('.ts'))).toEqual([]);
    const intoRepo = symlinks(modules).filter(({ target }) => target.startsWith(REPO_ROOT));
    expect(intoRepo).toEqual([]);
  });

  it('serves the API and the dashboard on SQLite with `npx llmlab serve --db`', async () => {
    const db = join(work, 'data', 'llmlab.db');
    const server = await serve(['--db', db]);
    try {
      await checkServing(server.baseUrl, 'sqlite');
      expect(existsSync(db)).toBe(true);
    } finally {
      await expectStopped(server);
    }
  });

  it('serves the same on PostgreSQL with DATABASE_URL, migrations included', async () => {
    const server = await serve([], { DATABASE_URL: pgUrl });
    try {
      await checkServing(server.baseUrl, 'postgres');
    } finally {
      await expectStopped(server);
    }
  });
});
