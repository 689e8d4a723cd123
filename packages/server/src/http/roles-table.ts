import { ROLES, type Role, roleAtLeast } from '@llmlab/core';
import { keyScopesOf, type ReferenceDocument } from './api-reference.js';

/** The line that separates the hand-written part of docs/security.md from the generated table. */
export const ROLES_MARKER =
  '<!-- Generated from GET /api/openapi.json by packages/server/src/scripts/write-api-docs.ts: declare roles on the routes, not in the table below. -->';

const ASCENDING = [...ROLES].reverse() as Role[];

/** Every route that needs a credential: its least role and the key scope it needs ('session': no key). */
export function routeRoles(doc: ReferenceDocument): { method: string; path: string; role: Role | undefined; scope: string | undefined }[] {
  const out = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op.security?.length) continue;
      out.push({ method: method.toUpperCase(), path, role: op['x-llmlab-role'] as Role | undefined, scope: keyScopesOf(op)[0] });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** The route x role table: ✓ allowed, 403 refused, and the API key scope that may call it. */
export function renderRolesTable(doc: ReferenceDocument): string {
  const rows = routeRoles(doc).map((r) => {
    const cells = ASCENDING.map((role) => (r.role && roleAtLeast(role, r.role) ? '✓' : '403'));
    const key = r.scope === 'session' ? 'no key (signed in only)' : `\`${r.scope}\``;
    return `| \`${r.method} ${r.path}\` | ${cells.join(' | ')} | ${key} |`;
  });
  return [`| Route | ${ASCENDING.join(' | ')} | API key scope |`, `|---|${ASCENDING.map(() => ':-:|').join('')}---|`, ...rows].join('\n');
}

/** docs/security.md with its generated table replaced by the one `doc` gives. */
export function securityDocsFile(current: string, doc: ReferenceDocument): string {
  const at = current.indexOf(ROLES_MARKER);
  const intro = (at < 0 ? current : current.slice(0, at)).trimEnd();
  return `${intro}\n\n${ROLES_MARKER}\n\n${renderRolesTable(doc)}\n`;
}
