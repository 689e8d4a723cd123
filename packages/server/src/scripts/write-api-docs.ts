/**
 * `npx tsx packages/server/src/scripts/write-api-docs.ts [--check]`
 * Rewrites, from the OpenAPI document, docs/api.md below its hand-written introduction and the
 * route x role table at the end of docs/security.md. With --check it writes nothing and exits 1
 * when either file is not what it would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiDocsFile, type ReferenceDocument } from '../http/api-reference.js';
import { buildApiDocument } from '../http/build-api-document.js';
import { securityDocsFile } from '../http/roles-table.js';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs');
const doc = (await buildApiDocument()) as unknown as ReferenceDocument;
const check = process.argv.includes('--check');
let stale = false;
for (const [name, render] of [['api.md', apiDocsFile], ['security.md', securityDocsFile]] as const) {
  const file = resolve(docs, name);
  const current = readFileSync(file, 'utf8');
  const next = render(current, doc);
  if (next === current) process.stdout.write(`docs/${name} is up to date\n`);
  else if (check) {
    stale = true;
    process.stderr.write(`docs/${name} differs from the OpenAPI document; run: npm run docs:api\n`);
  } else {
    writeFileSync(file, next);
    process.stdout.write(`docs/${name} written from the OpenAPI document\n`);
  }
}
if (stale) process.exit(1);
