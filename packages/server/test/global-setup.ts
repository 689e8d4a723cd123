import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * PostgreSQL for the suites that run on it: LLMLAB_TEST_DATABASE_URL when set, else a throwaway
 * cluster from the installed server binaries. With CI=true a missing PostgreSQL fails the run.
 */
const NEEDS_POSTGRES = new Set(['server', 'gateway']);

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

export default async function setup(project: TestProject) {
  const given = process.env.LLMLAB_TEST_DATABASE_URL;
  if (!NEEDS_POSTGRES.has(project.name)) {
    project.provide('pgUrl', given ?? null);
    return;
  }
  if (given) {
    project.provide('pgUrl', given);
    return;
  }
  const bin = findPgBin();
  if (!bin) {
    const msg = 'PostgreSQL server binaries not found (Debian: apt-get install postgresql); set LLMLAB_TEST_DATABASE_URL to test on PostgreSQL';
    if (process.env.CI === 'true') throw new Error(msg);
    console.warn(`\n[llmlab tests] ${msg}. PostgreSQL suites are skipped on this machine.\n`);
    project.provide('pgUrl', null);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'llmlab-pg-'));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] as const : [join(bin, cmd), args] as const;
    const r = spawnSync(full[0], full[1] as string[], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'llmlab', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c synchronous_commit=off`, 'start']);
  const url = `postgres://llmlab@127.0.0.1:${port}/postgres`;
  execFileSync(join(bin, 'psql'), [url, '-qc', 'create database llmlab_test'], { stdio: 'ignore' });
  project.provide('pgUrl', `postgres://llmlab@127.0.0.1:${port}/llmlab_test`);
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
