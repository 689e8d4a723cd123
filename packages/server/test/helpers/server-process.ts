import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkedFetch } from './contract.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const mainTs = resolve(here, '../../src/main.ts');
/** The V8 flags `npm start` runs the server with, so tests and benchmarks run it the same way. */
const nodeFlags: string[] = JSON.parse(readFileSync(resolve(here, '../../node-flags.json'), 'utf8'));

export interface ServerProcess {
  baseUrl: string;
  port: number;
  dataDir: string;
  /** The child's stderr so far (JSON log lines). */
  logs(): string;
  /** The running child's process id (benchmarks sample its memory). */
  pid(): number | undefined;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

/**
 * The real server as a child process on a free port with its own temp SQLite database (or
 * `env.DATABASE_URL`). Used by end-to-end tests of every package.
 */
export async function startServerProcess(options: { env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'llmlab-e2e-'));
  const baseEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dataDir, 'llmlab.db')}`,
    LLMLAB_LOG_LEVEL: 'warn',
    ...options.env,
  };
  let child: ChildProcess | null = null;
  let stderr = '';
  let port = Number(options.env?.PORT ?? 0);

  const launch = () =>
    new Promise<number>((ready, fail) => {
      const c = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', mainTs], { cwd: repoRoot, env: { ...baseEnv, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let out = '';
      const timer = setTimeout(() => fail(new Error(`server did not start in 30 s:\n${stderr}`)), 30_000);
      c.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/running at http:\/\/[^:]+:(\d+)/);
        if (m) {
          clearTimeout(timer);
          ready(Number(m[1]));
        }
      });
      c.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`server exited with ${code}:\n${stderr}`));
      });
    });

  const waitExit = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return done();
      c.once('exit', () => done());
      c.kill(signal);
    });

  port = await launch();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    logs: () => stderr,
    pid: () => (child as ChildProcess | null)?.pid,
    async stop() {
      await waitExit('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
    kill: (signal = 'SIGKILL') => waitExit(signal),
    async restart() {
      await waitExit('SIGKILL');
      await launch();
    },
  };
}

export interface SignedUpUser {
  token: string;
  apiKey: string;
  projectId: string;
  orgId: string;
  email: string;
  password: string;
}

let counter = 0;

/** Signs up a fresh user (its own org and project) on a running server. */
export async function signupUser(baseUrl: string): Promise<SignedUpUser> {
  const email = `user${Date.now()}-${process.pid}-${++counter}@example.com`;
  const password = 'correct horse battery';
  const res = await checkedFetch(`${baseUrl}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; api_key: string; project: { id: string }; org: { id: string } };
  return { token: body.token, apiKey: body.api_key, projectId: body.project.id, orgId: body.org.id, email, password };
}
