import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, removeDir, runCli, tempDir } from './helpers.js';

let other: Awaited<ReturnType<typeof startServerProcess>>;
const dirs: string[] = [];

beforeAll(async () => {
  other = await startServerProcess();
});

afterAll(async () => {
  await other?.stop();
  for (const dir of dirs) removeDir(dir);
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('llmlab serve', () => {
  it('serves the API on --port with its database at --db, and stops cleanly on ctrl-c', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const port = await freePort();
    const db = join(dir, 'data', 'llmlab.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db], { cwd: dir, env: cliEnv(dir) });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('LLMLab is running') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stdout).toContain(`✔ LLMLab is running at http://127.0.0.1:${port} (dashboard and API). Press ctrl-c to stop.`);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const signup = await fetch(`http://127.0.0.1:${port}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'serve@example.com', password: 'serve-password-1' }),
    });
    expect(signup.status).toBe(201);
    expect(existsSync(db)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says the port is taken instead of crashing', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { code, stderr } = await runCli(['serve', '--port', String(other.port), '--db', join(dir, 'x.db')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`Error: Port ${other.port} is already in use; stop the other server or pick another port with --port.`);
  });
});
