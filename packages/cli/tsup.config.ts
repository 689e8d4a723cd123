import { defineConfig } from 'tsup';

// One ESM bundle with code splitting, so that commands load their heavy modules (prompts,
// spinners, the price book) only when they run. Dependencies go into the bundle too: resolving
// them from node_modules file by file cost `llmlab status` about a third of its run time.
// The server stays external: `llmlab serve`, `backup` and `restore` load the @llmlab/server
// dependency at run time (its bundle when installed, its sources through tsx in a checkout).
export default defineConfig({
  entry: { llmlab: 'src/main.ts' },
  outDir: 'dist',
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  clean: true,
  sourcemap: false,
  // The bundled CommonJS dependencies (commander, cli-table3) call require() for Node built-ins.
  // The entry's own `#!/usr/bin/env node` line stays first; esbuild puts the banner after it.
  banner: { js: "import { createRequire as __llmlabCreateRequire } from 'node:module'; const require = __llmlabCreateRequire(import.meta.url);" },
  // Everything but the server (and its entry for backups) and tsx, which tsup would otherwise also pull in.
  noExternal: [/^(?!@llmlab\/server($|\/)|tsx($|\/))/],
  external: ['@llmlab/server', '@llmlab/server/backups', 'tsx'],
});
