/**
 * The routes of /api/openapi.json as tests walk them: every operation with its parameters and
 * its JSON body schema, and a valid sample body built from that schema.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
}

export interface Operation {
  method: string;
  /** As documented: /api/budgets/{id}. */
  path: string;
  /** Authenticated with a bearer credential (the proxy and OTLP take the key in a header and are documented public). */
  bearer: boolean;
  pathParams: string[];
  queryParams: { name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, {
    security?: unknown[];
    parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
    requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  }>>;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        bearer: (op.security?.length ?? 0) > 0,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

/** `/api/budgets/{id}` with the given values in place of its parameters. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return v;
  });
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  return s.type;
}

/** A value the schema accepts: required properties only (or the first one when none is required). */
export function sampleOf(s: JsonSchema): unknown {
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sampleOf(s.anyOf[0]);
  switch (typeOf(s)) {
    case 'object': {
      const props = Object.keys(s.properties ?? {});
      const chosen = s.required?.length ? s.required : props.slice(0, 1);
      return Object.fromEntries(chosen.map((k) => [k, sampleOf(s.properties?.[k] ?? {})]));
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sampleOf(s.items ?? {}));
    case 'integer':
    case 'number': {
      const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? 1);
      return Math.min(Math.max(min, 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'email') return `sample-${Math.random().toString(36).slice(2, 8)}@example.com`;
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'date') return new Date().toISOString().slice(0, 10);
      return 'sample-value'.padEnd(s.minLength ?? 0, '-').slice(0, s.maxLength ?? 100);
    default:
      return 'sample-value';
  }
}

/** A value of another JSON type than the schema's: what a confused client sends. */
export function wrongTypeOf(s: JsonSchema): unknown[] {
  const nullable = Array.isArray(s.type) && s.type.includes('null');
  return wrongTypes(s).filter((v) => !(nullable && v === null));
}

function wrongTypes(s: JsonSchema): unknown[] {
  switch (s.enum ? 'enum' : typeOf(s)) {
    case 'string':
      return [12345, true, null, ['a'], { a: 1 }];
    case 'enum':
      return ['not-one-of-them', 7, null];
    case 'integer':
    case 'number':
      return ['12', true, null, [1], { n: 1 }, 1e308, -1e308, -1, 0.5, 2 ** 53 + 2];
    case 'boolean':
      return ['true', 1, null, []];
    case 'array':
      return [{}, 'a', 1, null, Array.from({ length: 2000 }, () => 1)];
    case 'object':
      return [[], 'a', 1, null];
    default:
      return [null, 1e308, -1];
  }
}
