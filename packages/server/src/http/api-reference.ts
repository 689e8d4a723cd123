/**
 * docs/api.md below its hand-written introduction, rendered from the OpenAPI document: every
 * operation with its parameters, body and answers, then every named schema field by field.
 */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  /** The least role that may call the route (define-route.ts). */
  'x-llmlab-role'?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

export interface ReferenceDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The line that separates the hand-written introduction of docs/api.md from the generated reference. */
export const GENERATED_MARKER =
  '<!-- Generated from GET /api/openapi.json by packages/server/src/scripts/write-api-docs.ts: edit the routes and core/schemas, not the text below. -->';

const TAG_TITLES: Record<string, string> = {
  health: 'Health', auth: 'Accounts', events: 'Events', costs: 'Costs and insights', budgets: 'Budgets', projects: 'Projects',
  keys: 'API keys', prices: 'Prices', proxy: 'Proxy', gateway: 'Gateway settings', otlp: 'OpenTelemetry', recommendations: 'Recommendations',
  alerts: 'Alerts', admin: 'Admin', members: 'Members and audit log',
};

const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const anchor = (name: string) => `schema-${name.toLowerCase()}`;
const hasFields = (s: Schema | undefined) => Object.keys(s?.properties ?? {}).length > 0;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

/** A schema as a short type: `string (date-time)`, `"a" \| "b"`, [Budget](#budget)[], `map of number`. */
export function typeName(s: Schema): string {
  if (s.$ref) return `[${refName(s.$ref)}](#${anchor(refName(s.$ref))})`;
  if (s.anyOf) return s.anyOf.map(typeName).join(' or ');
  if (s.enum) return s.enum.map((v) => (v === null ? 'null' : `\`${JSON.stringify(v)}\``)).join(', ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const nullable = types.includes('null');
  const base = types.find((t) => t !== 'null');
  let name: string;
  if (base === 'array') {
    const item = s.items ? typeName(s.items) : 'any';
    name = /, | or /.test(item) ? `(${item})[]` : `${item}[]`;
  }
  else if (base === 'object' && !hasFields(s) && typeof s.additionalProperties === 'object') name = `map of ${typeName(s.additionalProperties)}`;
  else if (base === 'string' && s.format) name = `string (${s.format})`;
  else name = base ?? 'any';
  return nullable ? `${name} or null` : name;
}

function constraints(s: Schema): string {
  const parts: string[] = [];
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  if (s.minimum !== undefined) parts.push(`min ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`more than ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) parts.push(`max ${s.maximum}`);
  if (s.minLength !== undefined && s.minLength > 0) parts.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength} characters`);
  if (s.minItems !== undefined) parts.push(`at least ${s.minItems} items`);
  if (s.maxItems !== undefined) parts.push(`at most ${s.maxItems} items`);
  return parts.join(', ');
}

function note(s: Schema): string {
  return [s.description, constraints(s)].filter(Boolean).join('; ');
}

/** The fields of an object schema, nested objects flattened to `a.b` and arrays of objects to `a[].b`. */
function fieldRows(s: Schema, prefix = ''): string[] {
  const rows: string[] = [];
  const required = new Set(s.required ?? []);
  for (const [name, field] of Object.entries(s.properties ?? {})) {
    const path = `${prefix}${name}${required.has(name) ? '' : '?'}`;
    const nested = hasFields(field) ? field : hasFields(field.items) ? field.items : undefined;
    rows.push(`| \`${path}\` | ${cell(typeName(field))} | ${cell(note(field))} |`);
    if (nested) rows.push(...fieldRows(nested, `${path}${nested === field ? '' : '[]'}.`));
  }
  return rows;
}

function fieldTable(s: Schema): string[] {
  return ['| field | type | notes |', '|---|---|---|', ...fieldRows(s)];
}

/** How a body schema is shown: a link to its named schema, or its fields. */
function bodyLines(s: Schema): string[] {
  return hasFields(s) ? fieldTable(s) : [typeName(s)];
}

/** The key scope the bearer requirement names, or 'session'. */
export function keyScopesOf(op: Operation): string[] {
  return (op.security ?? []).flatMap((r) => Object.values(r as Record<string, string[]>).flat());
}

/** Who may call: the key scope and the least role. */
function auth(op: Operation): string {
  const scopes = keyScopesOf(op);
  const role = op['x-llmlab-role'] ? ` Role: \`${op['x-llmlab-role']}\` or above.` : '';
  if (scopes.includes('session')) return ` Needs a logged-in session (a session token or the cookie), not an API key.${role}`;
  return scopes.length ? ` Needs a session or an API key with scope ${scopes.map((r) => `\`${r}\``).join(', ')}.${role}` : '';
}

function renderOperation(method: string, path: string, op: Operation): string[] {
  const out = [`#### \`${method.toUpperCase()} ${path}\``, ''];
  if (op.summary) out.push(`${op.summary}.${auth(op)}`, '');
  if (op.description) out.push(op.description, '');
  const params = op.parameters ?? [];
  if (params.length) {
    out.push('| parameter | in | type | notes |', '|---|---|---|---|');
    for (const p of params) out.push(`| \`${p.name}${p.required ? '' : '?'}\` | ${p.in} | ${cell(typeName(p.schema ?? {}))} | ${cell(note({ ...p.schema, description: p.description ?? p.schema?.description }))} |`);
    out.push('');
  }
  for (const [media, body] of Object.entries(op.requestBody?.content ?? {})) {
    out.push(`Request body (\`${media}\`):`, '', ...bodyLines(body.schema ?? {}), '');
  }
  out.push('| status | answer | when |', '|---|---|---|');
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const answer = Object.entries(r.content ?? {}).map(([media, c]) => `${cell(hasFields(c.schema) ? 'object (below)' : typeName(c.schema ?? {}))} as \`${media}\``).join('; ') || 'no body';
    out.push(`| ${status} | ${answer} | ${cell(r.description ?? '')} |`);
  }
  out.push('');
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    for (const [media, c] of Object.entries(r.content ?? {})) {
      if (c.schema && hasFields(c.schema)) out.push(`${status} \`${media}\`:`, '', ...fieldTable(c.schema), '');
    }
  }
  return out;
}

/** The generated part of docs/api.md (everything below GENERATED_MARKER). */
export function renderApiReference(doc: ReferenceDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), ...renderOperation(method, path, op)]);
    }
  }
  const out = ['## Endpoints', ''];
  for (const [tag, lines] of byTag) out.push(`### ${TAG_TITLES[tag] ?? tag}`, '', ...lines);
  out.push('## Schemas', '');
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    out.push(`<a id="${anchor(name)}"></a>`, '', `### ${name}`, '');
    if (schema.description) out.push(schema.description, '');
    out.push(...bodyLines(schema), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** docs/api.md: its hand-written introduction (up to the marker), the marker, the generated reference. */
export function apiDocsFile(current: string, doc: ReferenceDocument): string {
  const at = current.indexOf(GENERATED_MARKER);
  const intro = (at < 0 ? current : current.slice(0, at)).trimEnd();
  return `${intro}\n\n${GENERATED_MARKER}\n\n${renderApiReference(doc)}`;
}
