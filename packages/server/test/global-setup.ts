import type { TestProject } from 'vitest/node';
import { findPgBin, startPgCluster } from './helpers/pg-cluster.js';

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

export default async function setup(project: TestProject) {
  const given = process.env.LLMLAB_TEST_DATABASE_URL;
  if (given || !NEEDS_POSTGRES.has(project.name)) {
    project.provide('pgUrl', given ?? null);
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
  const cluster = await startPgCluster(bin);
  project.provide('pgUrl', cluster.url);
  return () => cluster.destroy();
}
