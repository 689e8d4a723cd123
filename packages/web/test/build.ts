import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(WEB_ROOT, '..', '..');

/** The server serves packages/web/dist: build it once when it is not there. */
export function ensureWebBuild(): void {
  if (existsSync(join(WEB_ROOT, 'dist', 'index.html'))) return;
  execFileSync('npm', ['run', 'build', '-w', '@llmlab/web'], { cwd: REPO_ROOT, stdio: 'pipe' });
}
