import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPgBin } from './pg-cluster.js';

/**
 * The programs `npm test` needs beside Node, as the README's Development section lists them:
 * each is found, or the run fails with one line that names it and how to install it. No test is
 * skipped because one is missing.
 */
const TOOLS = {
  postgresql: { found: () => findPgBin() !== null, install: 'apt-get install -y postgresql (or set LLMLAB_TEST_DATABASE_URL to a server of your own)' },
  chromium: { found: () => existsSync('/usr/bin/chromium'), install: 'apt-get install -y chromium' },
  tmux: { found: () => runs('tmux', ['-V']), install: 'apt-get install -y tmux' },
  python3: { found: () => runs('python3', ['--version']), install: 'apt-get install -y python3' },
} as const;

export type Tool = keyof typeof TOOLS;

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Throws `npm test needs <tool>, which is not installed: <how to install it>` when the tool is missing. */
export function requireTool(tool: Tool): void {
  if (!TOOLS[tool].found()) throw new Error(`npm test needs ${tool}, which is not installed: ${TOOLS[tool].install}`);
}
