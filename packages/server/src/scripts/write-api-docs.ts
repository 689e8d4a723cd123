/**
 * `npx tsx packages/server/src/scripts/write-api-docs.ts [--check]`
 * Rewrites docs/api.md below its hand-written introduction from the OpenAPI document.
 * With --check it writes nothing and exits 1 when docs/api.md is not what it would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiDocsFile, type ReferenceDocument } from '../http/api-reference.js';
import { buildApiDocument } from '../http/build-api-document.js';

const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/api.md');
const current = readFileSync(file, 'utf8');
const next = apiDocsFile(current, (await buildApiDocument()) as unknown as ReferenceDocument);
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write('docs/api.md differs from the OpenAPI document; run: npx tsx packages/server/src/scripts/write-api-docs.ts\n');
    process.exit(1);
  }
  process.stdout.write('docs/api.md matches the OpenAPI document\n');
} else if (next === current) {
  process.stdout.write('docs/api.md is up to date\n');
} else {
  writeFileSync(file, next);
  process.stdout.write('docs/api.md written from the OpenAPI document\n');
}
