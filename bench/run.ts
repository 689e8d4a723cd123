/**
 * `npm run bench`: every benchmark, each as a ratio against a reference measured in the same
 * run, in one table. `npm run bench -- --write-readme` also writes the table into README.md.
 * `npm run bench -- summary proxy` runs only the named benchmarks. `postgres-100m` (an hour and
 * about 60 GB of disk at its default 100 million events; `--events=N` for fewer) runs only when named.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { type BenchRow, markdownTable } from './lib.js';

const SUITES: Record<string, () => Promise<{ run: () => Promise<BenchRow[]> }>> = {
  ingest: () => import('./server-ingest.js'),
  summary: () => import('./summary.js'),
  postgres: () => import('./postgres.js'),
  'postgres-100m': () => import('./postgres-100m.js'),
  sdk: () => import('./sdk-overhead.js'),
  proxy: () => import('./proxy.js'),
  cache: () => import('./response-cache.js'),
  cli: () => import('./cli-status.js'),
  start: () => import('./start.js'),
  dashboard: () => import('./dashboard.js'),
};

const args = process.argv.slice(2);
const writeReadme = args.includes('--write-readme');
const only = args.filter((a) => !a.startsWith('--'));
const ON_REQUEST = new Set(['postgres-100m']);
const names = only.length ? only : Object.keys(SUITES).filter((n) => !ON_REQUEST.has(n));

const rows: BenchRow[] = [];
for (const name of names) {
  const load = SUITES[name];
  if (!load) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(SUITES).join(', ')}`);
  process.stderr.write(`\n== ${name}\n`);
  try {
    const suite = await load();
    const got = await suite.run();
    rows.push(...got);
    console.table(got);
  } catch (err) {
    process.stderr.write(`${name} failed: ${(err as Error).stack ?? err}\n`);
    rows.push({ name: `${name} (failed to run)`, value: 0, unit: '', reference: 0, ratio: 0, target: 'runs', pass: false });
  }
}

const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const stamp = new Date().toISOString().slice(0, 10);
const table = `Measured ${stamp} on ${machine} with \`npm run bench\`.\n\n${markdownTable(rows)}`;
console.log(`\n${table}\n`);
if (writeReadme) {
  const readme = readFileSync('README.md', 'utf8');
  const next = readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`);
  writeFileSync('README.md', next);
}
const failed = rows.filter((r) => !r.pass).length;
console.log(`${rows.length - failed} passed, ${failed} failed`);
