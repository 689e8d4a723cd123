import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

const DAY_S = 86_400;

/** A result of OpenAI's GET /v1/organization/costs, as documented. */
export interface OpenaiCostResult {
  object?: 'organization.costs.result';
  amount: { value: number; currency: string };
  line_item: string | null;
  project_id: string | null;
}

/** A result of Anthropic's GET /v1/organizations/cost_report, as documented: `amount` is a decimal string of cents. */
export interface AnthropicCostResult {
  amount: string;
  currency: string;
  description: string | null;
  model: string | null;
  cost_type: string | null;
  token_type: string | null;
  service_tier: string | null;
  workspace_id: string | null;
  context_window?: string | null;
}

export interface FakeRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface FakeCostApis {
  url: string;
  /** The admin keys the fakes accept. */
  openaiKey: string;
  anthropicKey: string;
  /** What each provider billed, per UTC day ("YYYY-MM-DD"). */
  openai: Record<string, OpenaiCostResult[]>;
  anthropic: Record<string, AnthropicCostResult[]>;
  /** Day buckets per page at most (each page also honours the request's `limit`). */
  pageSize: number;
  /** The next answers of both APIs, in order, instead of the bill (a 429, a 500). */
  failures: { status: number; body: unknown; headers?: Record<string, string> }[];
  requests: FakeRequest[];
  /** Requests whose parameters the documented API would refuse; a test expects none. */
  problems: string[];
  close(): Promise<void>;
}

function bucketsOf(start: number, end: number): number[] {
  const days: number[] = [];
  for (let t = start; t < end; t += DAY_S) days.push(t);
  return days;
}

/** The page a request asks for: `page` is the opaque token of a previous answer (here the index of its first bucket). */
function pageOf(days: number[], query: URLSearchParams, size: number) {
  const first = query.get('page') ? Number(query.get('page')?.replace('page_', '')) : 0;
  const chunk = days.slice(first, first + size);
  const more = first + size < days.length;
  return { chunk, has_more: more, next_page: more ? `page_${first + size}` : null };
}

const dateOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const rfc3339 = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/**
 * OpenAI's and Anthropic's cost APIs, answering from the bills a test sets, in their documented
 * formats with has_more/next_page paging; both check the admin key and the query parameters.
 */
export async function startFakeCostApis(): Promise<FakeCostApis> {
  const fake = {
    openaiKey: 'sk-admin-fake-openai-0001',
    anthropicKey: 'sk-ant-admin01-fake-anthropic-0002',
    openai: {},
    anthropic: {},
    pageSize: 2,
    failures: [],
    requests: [],
    problems: [],
  } as unknown as FakeCostApis;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const refuse = (message: string) => {
      fake.problems.push(`${url.pathname}: ${message}`);
      send(400, { error: { message, type: 'invalid_request_error' } });
    };
    const q = url.searchParams;
    if (url.pathname === '/v1/organization/costs') {
      if (req.headers.authorization !== `Bearer ${fake.openaiKey}`) return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
      const failure = fake.failures.shift();
      if (failure) return send(failure.status, failure.body, failure.headers);
      const start = Number(q.get('start_time'));
      const end = Number(q.get('end_time'));
      const limit = Number(q.get('limit') ?? 7);
      if (!Number.isInteger(start) || !Number.isInteger(end) || start % DAY_S || end % DAY_S || end <= start) return refuse('start_time and end_time must be Unix seconds at UTC midnight, end after start');
      if (q.get('bucket_width') !== '1d') return refuse('bucket_width must be 1d');
      if (!q.getAll('group_by[]').includes('line_item')) return refuse('group_by[] must include line_item');
      if (!Number.isInteger(limit) || limit < 1 || limit > 180) return refuse('limit must be 1..180');
      const page = pageOf(bucketsOf(start, end), q, Math.min(limit, fake.pageSize));
      return send(200, {
        object: 'page',
        data: page.chunk.map((t) => ({ object: 'bucket', start_time: t, end_time: t + DAY_S, results: (fake.openai[dateOf(t)] ?? []).map((r) => ({ object: 'organization.costs.result', ...r })) })),
        has_more: page.has_more,
        next_page: page.next_page,
      });
    }
    if (url.pathname === '/v1/organizations/cost_report') {
      if (req.headers['x-api-key'] !== fake.anthropicKey) return send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      if (!req.headers['anthropic-version']) return refuse('anthropic-version header is required');
      const failure = fake.failures.shift();
      if (failure) return send(failure.status, failure.body, failure.headers);
      const at = (name: string) => {
        const v = q.get(name) ?? '';
        return /^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(v) ? Date.parse(v) / 1000 : Number.NaN;
      };
      const start = at('starting_at');
      const end = at('ending_at');
      const limit = Number(q.get('limit') ?? 7);
      if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return refuse('starting_at and ending_at must be RFC 3339 UTC midnights, ending after starting');
      if (q.get('bucket_width') !== '1d') return refuse('bucket_width must be 1d');
      if (!q.getAll('group_by[]').includes('description')) return refuse('group_by[] must include description');
      if (!Number.isInteger(limit) || limit < 1 || limit > 31) return refuse('limit must be 1..31');
      const page = pageOf(bucketsOf(start, end), q, Math.min(limit, fake.pageSize));
      return send(200, {
        data: page.chunk.map((t) => ({ starting_at: rfc3339(t), ending_at: rfc3339(t + DAY_S), results: fake.anthropic[dateOf(t)] ?? [] })),
        has_more: page.has_more,
        next_page: page.next_page,
      });
    }
    send(404, { error: { message: `no route ${url.pathname}` } });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((done) => server.close(() => done()));
  return fake;
}
