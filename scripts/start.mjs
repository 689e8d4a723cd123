// `npm start`: build the dashboard once if it is missing, then run the server in the foreground.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webIndex = join(root, 'packages/web/dist/index.html');
const webSource = join(root, 'packages/web/index.html');

if (!existsSync(webIndex) && existsSync(webSource)) {
  process.stdout.write('Building the dashboard (first start only)...\n');
  const build = spawnSync('npm', ['run', 'build', '-w', '@llmlab/web'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.stderr.write('The dashboard did not build; the API starts without it.\n');
}

// V8 flags for the server (packages/server/node-flags.json, see docs/architecture.md): a fixed
// 32 MB young generation, so the state of calls in flight through the proxy dies young instead of
// being copied into the old generation and collected by full, longer pauses.
const nodeFlags = JSON.parse(readFileSync(join(root, 'packages/server/node-flags.json'), 'utf8'));
const server = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', join(root, 'packages/server/src/main.ts')], { cwd: root, stdio: 'inherit' });
process.exit(server.status ?? 1);
