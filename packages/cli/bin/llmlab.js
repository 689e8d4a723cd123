#!/usr/bin/env node
// Runs the bundled CLI (dist/llmlab.js). In a checkout where the bundle is missing or older than
// the sources, runs the TypeScript sources through tsx instead, so `npx llmlab` needs no build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'llmlab.js');
const sources = join(root, 'src');

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
  if (!existsSync(sources)) return true;
  return statSync(bundle).mtimeMs >= newestMtime(sources);
}

if (bundleIsCurrent()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(sources, 'main.ts')).href);
}
