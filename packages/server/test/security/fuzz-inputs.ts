/** Generated bad input for one route of the OpenAPI document. */
import type { JsonSchema, Operation } from './openapi.js';
import { sampleOf, wrongTypeOf } from './openapi.js';

export interface FuzzRequest {
  what: string;
  /** Replaces the path parameter values, raw (may hold bad percent-encoding). */
  pathValue?: string;
  query?: string;
  body?: string | Uint8Array;
  contentType?: string;
  /** The input is invalid: the answer must be 4xx (a read may still answer 2xx to a filter that matches nothing). */
  invalid: boolean;
}

export const HOSTILE_STRINGS = [
  "' OR '1'='1' --",
  "'; DROP TABLE events; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '\u0000nul',
  '%00',
  '\u202Eevil',
  `\${7*7}{{7*7}}`,
];

const MB = 1024 * 1024;
const DEPTH = 10_000;

/** Values a schema refuses: other types, out of range, too long, not matching its pattern or format. */
function violations(s: JsonSchema): unknown[] {
  const out = wrongTypeOf(s).filter((v) => {
    if (typeof v !== 'number' || s.type === undefined) return typeof v !== 'number';
    // A number is a violation only where the schema says so.
    const isInt = s.type === 'integer';
    return (isInt && !Number.isSafeInteger(v)) || (s.minimum !== undefined && v < s.minimum) || (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) || (s.maximum !== undefined && v > s.maximum);
  });
  if (s.maxLength !== undefined) out.push('x'.repeat(s.maxLength + 1));
  if (s.pattern || s.format === 'email' || s.enum) out.push(...HOSTILE_STRINGS);
  if (s.minimum !== undefined) out.push(s.minimum - 1);
  if (s.maximum !== undefined) out.push(s.maximum + 1, 1e308);
  return out;
}

function bodyOf(value: unknown): string {
  return JSON.stringify(value);
}

/** Bodies the route's schema must refuse. */
function bodyRequests(schema: JsonSchema): FuzzRequest[] {
  const sample = sampleOf(schema) as Record<string, unknown>;
  const props = Object.keys(schema.properties ?? {});
  const first = props[0] ?? 'field';
  const strict = schema.additionalProperties === false;
  const reqs: FuzzRequest[] = [
    { what: 'empty body', body: '', invalid: true },
    { what: 'whitespace body', body: '  \n ', invalid: true },
    ...['null', '[]', '"text"', '123', 'true', '{"a":', "{'a': 1}", '{"a":1}}', 'NaN', '\u0000'].map((body) => ({ what: `body ${JSON.stringify(body)}`, body, invalid: true })),
    { what: 'array nested 10,000 deep', body: `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`, invalid: true },
    // Where the schema lets unknown fields through (OTLP ignores them, as its spec says), these two are valid.
    { what: 'object nested 10,000 deep', body: `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`, invalid: strict },
    { what: 'invalid UTF-8 outside strings', body: Buffer.concat([Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from(bodyOf(sample))]), invalid: true },
    { what: 'a 10 MB body', body: `{"${first}":"${'a'.repeat(10 * MB)}"}`, invalid: strict },
  ];
  if (strict) {
    reqs.push(
      { what: 'unknown fields', body: bodyOf({ ...sample, unknown_field: 1 }), invalid: true },
      { what: '__proto__ and constructor', body: `{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},${bodyOf(sample).slice(1)}`, invalid: true },
      { what: 'invalid UTF-8 in a string', body: Buffer.concat([Buffer.from(`{"${first}":"`), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]), Buffer.from('","unknown_field":1}')]), invalid: true },
      { what: 'value nested 10,000 deep', body: `{"${first}":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)},"unknown_field":1}`, invalid: true },
      { what: 'hostile strings in every field', body: bodyOf({ ...Object.fromEntries(props.map((p, i) => [p, HOSTILE_STRINGS[i % HOSTILE_STRINGS.length]])), unknown_field: HOSTILE_STRINGS[0] }), invalid: true },
    );
  }
  for (const p of props) {
    for (const v of violations(schema.properties?.[p] ?? {})) {
      reqs.push({ what: `${p} = ${JSON.stringify(v)?.slice(0, 40)}`, body: bodyOf({ ...sample, [p]: v }), invalid: true });
    }
  }
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    reqs.push({ what: `content-type ${contentType}`, body: bodyOf(sample), contentType, invalid: true });
  }
  return reqs;
}

const QUERY_VALUES = ['', 'abc', '-1', '0', '1e309', '99999999999999999999999', 'NaN', 'Infinity', '2026-13-45', 'x'.repeat(10_000), ...HOSTILE_STRINGS.map(encodeURIComponent)];
/** Raw query strings: bad percent-encoding, invalid UTF-8, repeated names. */
const RAW_QUERY = (name: string) => [`${name}=%`, `${name}=%ff%fe`, `${name}=%C3%28`, `${name}=1&${name}=2`, `${name}[]=1`, `${name}[a]=1`];
const PATH_VALUES = [...HOSTILE_STRINGS.map(encodeURIComponent), '%ff', '%C3%28', '..%2F..%2Fadmin', 'x'.repeat(5000), '-1', '1e309', '%20'];

/** Every bad request for `op`: bodies for routes that take one, every query parameter, every path parameter. */
export function fuzzRequests(op: Operation): FuzzRequest[] {
  const reqs: FuzzRequest[] = [];
  if (op.body) reqs.push(...bodyRequests(op.body));
  else if (op.method !== 'GET' && op.method !== 'DELETE') reqs.push({ what: 'an unexpected body', body: '{"unexpected": [1, 2, 3]}', invalid: false });
  for (const q of op.queryParams) {
    for (const v of QUERY_VALUES) reqs.push({ what: `?${q.name}=${v.slice(0, 30)}`, query: `${q.name}=${v}`, invalid: op.method !== 'GET' });
    for (const raw of RAW_QUERY(q.name)) reqs.push({ what: `?${raw}`, query: raw, invalid: op.method !== 'GET' });
  }
  // A read that takes no credential (GET /health) has no project to pick: it ignores the parameter.
  reqs.push({ what: '?project_id=hostile', query: `project_id=${encodeURIComponent(HOSTILE_STRINGS[0])}`, invalid: op.bearer || op.method !== 'GET' });
  if (op.pathParams.length) {
    for (const v of PATH_VALUES) reqs.push({ what: `path = ${v.slice(0, 30)}`, pathValue: v, invalid: true });
  }
  return reqs;
}
