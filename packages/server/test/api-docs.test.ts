import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiDocsFile, GENERATED_MARKER, type ReferenceDocument } from '../src/http/api-reference.js';
import { ROLES_MARKER, routeRoles, securityDocsFile } from '../src/http/roles-table.js';
import { apiContract } from './helpers/contract.js';

const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/api.md');
const securityFile = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/security.md');

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

  it('docs/security.md ends with the route x role table generated from the declarations', async () => {
    const current = readFileSync(securityFile, 'utf8');
    expect(current).toContain(ROLES_MARKER);
    const { doc } = await apiContract();
    expect(current.split('\n')).toEqual(securityDocsFile(current, doc as unknown as ReferenceDocument).split('\n'));
    expect(current).toContain('| `DELETE /api/org` | 403 | 403 | 403 | ✓ | no key (signed in only) |');
    expect(current).toContain('| `POST /api/events/track` | 403 | ✓ | ✓ | ✓ | `ingest` |');
  });

  it('every route that needs a credential declares its least role', async () => {
    const { doc } = await apiContract();
    const routes = routeRoles(doc as unknown as ReferenceDocument);
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => r.role === undefined).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});
