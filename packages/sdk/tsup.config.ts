import { readFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// In the monorepo "exports" points at the sources; the published package is dist/ with its own
// manifest (`npm publish ./dist`). @llmlab/core is private, so the few core modules the SDK uses
// (usage normalisers, error codes) are bundled in; at run time the SDK needs only node: modules.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  dts: {
    resolve: [/^@llmlab\/core/],
    // The declaration bundler follows tsconfig paths, not workspace "exports", to inline core's types.
    compilerOptions: { baseUrl: '.', paths: { '@llmlab/core/errors': ['../core/src/errors/app-error.ts'] } },
  },
  removeNodeProtocol: false,
  treeshake: true,
  clean: true,
  sourcemap: true,
  noExternal: ['@llmlab/core'],
  external: ['openai', '@anthropic-ai/sdk'],
  async onSuccess() {
    const manifest = JSON.parse(await readFile('package.json', 'utf8'));
    const { scripts, devDependencies, files, ...published } = manifest;
    const dist = {
      ...published,
      main: './index.cjs',
      module: './index.js',
      types: './index.d.ts',
      exports: {
        '.': {
          import: { types: './index.d.ts', default: './index.js' },
          require: { types: './index.d.cts', default: './index.cjs' },
        },
      },
    };
    await writeFile('dist/package.json', `${JSON.stringify(dist, null, 2)}\n`);
    await writeFile('dist/README.md', await readFile('README.md', 'utf8'));
  },
});
