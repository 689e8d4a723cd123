import { defineConfig } from 'tsup';

// One ESM bundle with code splitting, so that commands load their heavy modules (prompts,
// spinners, the price book) only when they run. @llmlab/core is private and goes into the
// bundle; the server stays external: `llmlab serve` loads it from the workspace at run time.
export default defineConfig({
  entry: { llmlab: 'src/main.ts' },
  outDir: 'dist',
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  treeshake: true,
  clean: true,
  sourcemap: false,
  banner: { js: '#!/usr/bin/env node' },
  noExternal: ['@llmlab/core'],
  external: ['@llmlab/server'],
});
