import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

// The server as plain JavaScript, so that `npm start` and an installed @llmlab/server need no
// TypeScript loader: src/main.ts (the process) and each entry of "exports" but the test helpers.
// @llmlab/core is TypeScript and private, so it goes into the bundle; every other package stays
// a real dependency (better-sqlite3 is native, pg and the rest load as they are published).
// The files the code opens beside its own module URL (the OTLP schema, the SQLite writer thread)
// are copied next to the bundle. In the monorepo "exports" points at the sources; dist/ gets the
// published manifest, and `npm run package` adds the built dashboard and packs it.
const ASSETS = ['src/otlp/trace-service.proto', 'src/db/sqlite/writer-thread-worker.mjs', 'README.md'];
const UNPUBLISHED = new Set(['./testing']);

interface Manifest {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: Record<string, string>;
  type: string;
  exports: Record<string, string>;
  dependencies?: Record<string, string>;
}

const readManifest = async (file: string): Promise<Manifest> => JSON.parse(await readFile(file, 'utf8'));

/** `.` -> `index`, `./backups` -> `backups`: the bundle's file for each published entry. */
const entryName = (subpath: string) => (subpath === '.' ? 'index' : subpath.slice(2));

/** The package a bare import names: `@hono/node-server/serve-static` -> `@hono/node-server`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The server's dependencies and those of @llmlab/core, which it bundles. */
async function publishedDependencies(server: Manifest): Promise<Record<string, string>> {
  const dependencies = { ...server.dependencies };
  for (const [name, range] of Object.entries((await readManifest('../core/package.json')).dependencies ?? {})) {
    if (dependencies[name] && dependencies[name] !== range) throw new Error(`@llmlab/server and @llmlab/core want different ${name}: ${dependencies[name]} and ${range}`);
    dependencies[name] = range;
  }
  return Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
}

/** Fails the build when the bundle imports a package the published manifest does not declare. */
async function checkExternals(outDir: string, dependencies: Record<string, string>): Promise<void> {
  const metafile = join(outDir, 'metafile-esm.json');
  const meta = JSON.parse(await readFile(metafile, 'utf8')) as { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
  await rm(metafile);
  const builtins = new Set(builtinModules);
  const missing = new Set<string>();
  for (const output of Object.values(meta.outputs)) {
    for (const { path, external } of output.imports) {
      if (!external || path.startsWith('node:') || builtins.has(path) || path.startsWith('.')) continue;
      if (!(packageOf(path) in dependencies)) missing.add(packageOf(path));
    }
  }
  if (missing.size > 0) throw new Error(`the server bundle imports undeclared packages: ${[...missing].join(', ')}; add them to packages/server/package.json`);
}

export default defineConfig(async (flags) => {
  const outDir = flags.outDir ?? 'dist';
  const server = await readManifest('package.json');
  const published = Object.keys(server.exports).filter((subpath) => !UNPUBLISHED.has(subpath));
  return {
    entry: { main: 'src/main.ts', ...Object.fromEntries(published.map((subpath) => [entryName(subpath), server.exports[subpath]])) },
    outDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    splitting: true,
    clean: true,
    sourcemap: false,
    removeNodeProtocol: false,
    metafile: true,
    skipNodeModulesBundle: true,
    noExternal: [/^@llmlab\/core(\/|$)/],
    async onSuccess() {
      const dependencies = await publishedDependencies(server);
      await checkExternals(outDir, dependencies);
      for (const asset of ASSETS) await copyFile(asset, join(outDir, asset.split('/').at(-1) as string));
      const { name, version, description, license, engines, type } = server;
      const exports = Object.fromEntries(published.map((subpath) => [subpath, `./${entryName(subpath)}.js`]));
      const manifest = { name, version, description, license, engines, type, exports, dependencies };
      await writeFile(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
});
