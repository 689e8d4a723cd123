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
  clean: true,
  sourcemap: false,
  // No banner: esbuild keeps the entry's own `#!/usr/bin/env node`; a banner would repeat it in every chunk.
  noExternal: ['@llmlab/core'],
  // tsx is what loads the TypeScript server for `llmlab serve`.
  external: ['@llmlab/server', 'tsx'],
});
