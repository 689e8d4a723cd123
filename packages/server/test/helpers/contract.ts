/**
 * The API contract as tests hold the server to it: every answer a test gets through the shared
 * helpers is looked up in /api/openapi.json (method and path template, then status and media
 * type) and its JSON body validated with ajv. Answer schemas are strict objects, so a field the
 * document does not declare fails the test that made the request.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { buildApiDocument } from '../../src/http/build-api-document.js';

type JsonSchema = Record<string, unknown>;

interface MediaType {
  schema?: JsonSchema;
}

interface DocResponse {
  description?: string;
  content?: Record<string, MediaType>;
}

export interface ApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, DocResponse> }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Paths the server answers outside the document: the document itself. */
const UNDOCUMENTED = new Set(['/api/openapi.json']);
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal path segments: the more, the more specific (`/api/events/batch` over `/api/events/{event_id}`). */
  literals: number;
  responses: Record<string, DocResponse>;
}

export class ContractError extends Error {
  override name = 'ContractError';
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function patternOf(template: string): RegExp {
  const parts = template.split(/(\{\w+\})/).map((part) => {
    const param = part.match(/^\{(\w+)\}$/)?.[1];
    if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // The proxy's {path} is the rest of the URL, slashes included.
    return param === 'path' ? '.+' : '[^/]+';
  });
  return new RegExp(`^${parts.join('')}$`);
}

function isJson(media: string): boolean {
  return media === 'application/json' || /^application\/[\w.+-]+\+json$/.test(media);
}

/** A schema that accepts any object (the proxy relays the provider's own body): its body is not checked. */
function isOpen(schema: JsonSchema | undefined): boolean {
  if (!schema) return true;
  if ('$ref' in schema || 'anyOf' in schema || 'oneOf' in schema || 'allOf' in schema || 'enum' in schema) return false;
  const props = schema.properties as Record<string, unknown> | undefined;
  return (schema.type === 'object' || schema.type === undefined) && (!props || Object.keys(props).length === 0) && schema.additionalProperties !== false;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 10)
    .map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      return `  ${e.instancePath || '(body)'} ${e.message}${extra}`;
    })
    .join('\n');
}

export class ApiContract {
  private readonly ajv: Ajv2020;
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly doc: ApiDocument) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false });
    this.ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
    this.ajv.addFormat('date', (s: string) => /^\d{4}-\d\d-\d\d$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
    this.ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
    this.ajv.addFormat('uri', (s: string) => URL.canParse(s));
    this.ajv.addSchema(doc as unknown as JsonSchema, 'openapi.json');
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!METHODS.has(method)) continue;
        const literals = template.split('/').filter((s) => s && !s.startsWith('{')).length;
        this.operations.push({ method: method.toUpperCase(), template, pattern: patternOf(template), literals, responses: op.responses ?? {} });
      }
    }
  }

  /** The documented operation that serves `method path`, the most specific first. */
  operation(method: string, path: string): Operation | undefined {
    return this.operations.filter((o) => o.method === method && o.pattern.test(path)).sort((a, b) => b.literals - a.literals)[0];
  }

  /** A validator for the JSON schema at `pointer` in the document. */
  private validator(pointer: string): ValidateFunction {
    let v = this.validators.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi.json#${pointer}` });
      this.validators.set(pointer, v);
    }
    return v;
  }

  /** Validates a body against the schema at `pointer`: the ajv errors, or none. */
  validate(pointer: string, body: unknown): string | null {
    const v = this.validator(pointer);
    return v(body) ? null : describeErrors(v.errors);
  }

  /**
   * Throws a ContractError naming method, path, status and the problem unless the answer is
   * what the document says `method path` answers. Reads a clone of the body, so `res` stays unread.
   */
  async check(method: string, url: string, res: Response): Promise<void> {
    method = method.toUpperCase();
    if (method === 'HEAD' || method === 'OPTIONS') return;
    const path = new URL(url, 'http://localhost').pathname;
    if (UNDOCUMENTED.has(path)) return;
    const media = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const where = `${method} ${path} answered ${res.status}${media ? ` (${media})` : ''}`;
    const op = this.operation(method, path);
    if (!op) {
      if (!isJson(media)) return; // the dashboard's files
      if (res.status !== 404) throw new ContractError(`${where}, but the document has no operation ${method} ${path}`);
      const problems = this.validate('/components/schemas/Error', await readJson(res, where));
      if (problems) throw new ContractError(`${where}: the body is not an Error:\n${problems}`);
      return;
    }
    const base = `/paths/${escapePointer(op.template)}/${op.method.toLowerCase()}/responses`;
    const status = op.responses[String(res.status)] ? String(res.status) : op.responses.default ? 'default' : undefined;
    if (!status) {
      throw new ContractError(`${where}, a status ${op.method} ${op.template} does not document (it documents ${Object.keys(op.responses).join(', ')})`);
    }
    const content = op.responses[status].content;
    if (!content) {
      if ((await res.clone().text()) !== '') throw new ContractError(`${where} with a body, but the document gives this answer none`);
      return;
    }
    const entry = content[media];
    if (!entry) throw new ContractError(`${where}, a media type ${op.method} ${op.template} ${status} does not document (it documents ${Object.keys(content).join(', ')})`);
    if (!isJson(media) || isOpen(entry.schema)) return;
    const problems = this.validate(`${base}/${status}/content/${escapePointer(media)}/schema`, await readJson(res, where));
    if (problems) throw new ContractError(`${where}: the body does not match ${op.method} ${op.template} ${status} in /api/openapi.json:\n${problems}`);
  }
}

async function readJson(res: Response, where: string): Promise<unknown> {
  const text = await res.clone().text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ContractError(`${where}: the body is not JSON: ${text.slice(0, 200)}`);
  }
}

let contract: Promise<ApiContract> | undefined;

/** The contract of this server's code, built once per test worker. */
export function apiContract(): Promise<ApiContract> {
  contract ??= buildApiDocument().then((doc) => new ApiContract(doc as unknown as ApiDocument));
  return contract;
}

/** Checks one answer against the document (see ApiContract.check) and hands it back unread. */
export async function checkAnswer(method: string, url: string, res: Response): Promise<Response> {
  await (await apiContract()).check(method, url, res);
  return res;
}

/** `fetch` for tests against a running server: the answer is checked against the document. */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return checkAnswer(init.method ?? 'GET', url, await fetch(url, init));
}
