import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, cliEnv, removeDir, tempDir } from './helpers.js';

const exec = promisify(execFile);
const REPO_ROOT = join(CLI_ROOT, '..', '..');

let server: Awaited<ReturnType<typeof startServerProcess>>;
// Inside the package, so that the bundle resolves its dependencies as dist/ does; .tmp is ignored by git.
const bundleDir = join(CLI_ROOT, '.tmp', `bundle-${process.pid}`);
const prefix = tempDir('llmlab-global-');

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
  rmSync(bundleDir, { recursive: true, force: true });
  removeDir(prefix);
});

describe('llmlab packaging', () => {
  it('bundles into one executable ESM entry with a node shebang that runs against a server', async () => {
    await exec(process.execPath, [join(REPO_ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--out-dir', bundleDir], {
      cwd: CLI_ROOT,
    });
    const entry = join(bundleDir, 'llmlab.js');
    expect(readFileSync(entry, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const account = await signupUser(server.baseUrl);
    const configDir = tempDir();
    const env = cliEnv(configDir, { LLMLAB_BASE_URL: server.baseUrl, LLMLAB_API_KEY: account.apiKey });
    await exec(process.execPath, [entry, 'track', '--provider', 'openai', '--model', 'gpt-4', '--input-tokens', '1000', '--output-tokens', '500'], { env });
    const { stdout } = await exec(process.execPath, [entry, 'status'], { env });
    expect(stdout).toMatch(/Total Spend\s+\$0\.06/);
    removeDir(configDir);
  });

  it('installs globally with npm i -g and answers on the `llmlab` command', async () => {
    await exec('npm', ['install', '--global', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', CLI_ROOT], {
      cwd: REPO_ROOT,
    });
    const bin = join(prefix, 'bin', 'llmlab');
    expect(existsSync(bin)).toBe(true);
    const { stdout } = await exec(bin, ['--help'], { env: cliEnv(prefix) });
    expect(stdout).toContain('Usage: llmlab [options] [command]');
  });

  it('runs with npx from the repository root', async () => {
    const { stdout } = await exec('npx', ['--no-install', 'llmlab', '--version'], { cwd: REPO_ROOT, env: cliEnv(prefix) });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
