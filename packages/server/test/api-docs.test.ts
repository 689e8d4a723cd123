import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiDocsFile, GENERATED_MARKER, type ReferenceDocument } from '../src/http/api-reference.js';
import { apiContract } from './helpers/contract.js';

const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/api.md');

describe('docs/api.md', () => {
  it('is generated from the OpenAPI document (run: npx tsx packages/server/src/scripts/write-api-docs.ts)', async () => {
    const current = readFileSync(file, 'utf8');
    expect(current).toContain(GENERATED_MARKER);
    const { doc } = await apiContract();
    // Compared line by line so a failure shows the lines that moved, not two 100 KB strings.
    expect(current.split('\n')).toEqual(apiDocsFile(current, doc as unknown as ReferenceDocument).split('\n'));
  });

  it('documents every operation and every named schema of the document', async () => {
    const current = readFileSync(file, 'utf8');
    const { doc } = await apiContract();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) expect(current).toContain(`#### \`${method.toUpperCase()} ${path}\``);
    }
    for (const name of Object.keys(doc.components?.schemas ?? {})) expect(current).toContain(`<a id="schema-${name.toLowerCase()}"></a>`);
    // The answer the old hand-written page got wrong: a list, not an object.
    expect(current).toContain('| 200 | [Recommendation](#schema-recommendation)[] as `application/json` | Success |');
  });
});
