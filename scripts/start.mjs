// `npm start`: the server in the foreground, as plain JavaScript: packages/server/dist, which
// `npm ci` builds with the dashboard (the root `prepare` script). Without a bundle as new as the
// sources (edited since, or installed with --ignore-scripts) it runs the sources through tsx,
// and says so; a missing dashboard is built first, as before.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webIndex = join(root, 'packages/web/dist/index.html');
const webSource = join(root, 'packages/web/index.html');
const bundle = join(root, 'packages/server/dist/main.js');
// The bundle holds the server and @llmlab/core.
const sources = ['packages/server/src', 'packages/core/src'].map((dir) => join(root, dir));

if (!existsSync(webIndex) && existsSync(webSource)) {
  process.stdout.write('Building the dashboard (first start only)...\n');
  const build = spawnSync('npm', ['run', 'build', '-w', '@llmlab/web'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.stderr.write('The dashboard did not build; the API starts without it.\n');
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function bundleIsCurrent() {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return sources.every((dir) => !existsSync(dir) || newestMtime(dir) <= built);
}

let entry = [bundle];
if (!bundleIsCurrent()) {
  const why = existsSync(bundle) ? 'is older than its sources' : 'is not built';
  process.stderr.write(`The server bundle (packages/server/dist) ${why}: running the TypeScript sources through tsx, which starts slower. \`npm run build -w @llmlab/server\` builds it.\n`);
  entry = ['--import', 'tsx', join(root, 'packages/server/src/main.ts')];
}

// V8 flags for the server (packages/server/node-flags.json, see docs/architecture.md): a fixed
// 32 MB young generation, so the state of calls in flight through the proxy dies young instead of
// being copied into the old generation and collected by full, longer pauses.
const nodeFlags = JSON.parse(readFileSync(join(root, 'packages/server/node-flags.json'), 'utf8'));
const server = spawnSync(process.execPath, [...nodeFlags, ...entry], { cwd: root, stdio: 'inherit' });
process.exit(server.status ?? 1);
