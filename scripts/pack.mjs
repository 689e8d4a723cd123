// `npm run package [-- --out DIR]`: LLMLab as two installable tarballs, @llmlab/server (the
// bundled server, its migrations, the built dashboard) and @llmlab/cli (which depends on it), so
// that `npm i ./llmlab-server-*.tgz ./llmlab-cli-*.tgz && npx llmlab serve` runs anywhere.
// Everything is built afresh into a temporary folder: the checkout's own dist/ folders, which
// `npm start` and running tests use, are left alone.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: '.' } } });
const out = resolve(values.out);
const tsup = join(root, 'node_modules/tsup/dist/cli-default.js');
const vite = join(root, 'node_modules/vite/bin/vite.js');
const readManifest = (pkg) => JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
const run = (file, args, cwd) => execFileSync(file, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });

/** The bundled server with its published manifest (see packages/server/tsup.config.ts) and the dashboard. */
function stageServer(stage) {
  const dir = join(stage, 'server');
  run(process.execPath, [tsup, '--out-dir', dir], join(root, 'packages/server'));
  run(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', join(dir, 'web'), '--emptyOutDir'], join(root, 'packages/web'));
  return { dir, version: readManifest('server').version };
}

function stageCli(stage, serverVersion) {
  const dir = join(stage, 'cli');
  const source = join(root, 'packages/cli');
  run(process.execPath, [tsup, '--out-dir', join(dir, 'dist')], source);
  cpSync(join(source, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(source, 'README.md'), join(dir, 'README.md'));
  // Only what runs from the tarball: no scripts (the bundle is built), no sources to export.
  const { scripts, devDependencies, exports, ...manifest } = readManifest('cli');
  const wanted = manifest.dependencies['@llmlab/server'];
  if (wanted !== serverVersion) throw new Error(`@llmlab/cli depends on @llmlab/server ${wanted}, but the server is ${serverVersion}: release them together`);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

const stage = mkdtempSync(join(tmpdir(), 'llmlab-pack-'));
try {
  const server = stageServer(stage);
  const cli = stageCli(stage, server.version);
  mkdirSync(out, { recursive: true });
  // Packed from the staging folder, outside any workspace, exactly as the folder holds them.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out, server.dir, cli], { cwd: stage, encoding: 'utf8' }));
  for (const { filename } of packed) process.stdout.write(`${join(out, filename)}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
