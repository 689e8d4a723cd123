import type { TestProject } from 'vitest/node';
import { findPgBin, startPgCluster } from './helpers/pg-cluster.js';
import { requireTool } from './helpers/require-tool.js';

/**
 * PostgreSQL for the suites that run on it: LLMLAB_TEST_DATABASE_URL when set, else a throwaway
 * cluster from the installed server binaries. Without either the run fails (see require-tool.ts).
 */
const NEEDS_POSTGRES = new Set(['server', 'gateway']);

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL the server and gateway suites run on; null in the projects that need none. */
    pgUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.LLMLAB_TEST_DATABASE_URL;
  if (given || !NEEDS_POSTGRES.has(project.name)) {
    project.provide('pgUrl', given ?? null);
    return;
  }
  requireTool('postgresql');
  const bin = findPgBin() as string;
  const cluster = await startPgCluster(bin);
  project.provide('pgUrl', cluster.url);
  return () => cluster.destroy();
}
