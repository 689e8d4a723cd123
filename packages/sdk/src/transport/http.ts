import { ConnectionError, errorFromResponse } from '../errors.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpSettings {
  baseUrl: string;
  apiKey: string;
  fetch: FetchLike;
  timeoutMs: number;
}

export interface RawAnswer {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

const USER_AGENT = 'llmlab-sdk-js/0.1.0';

/** One HTTP exchange with LLMLab; network failures become a ConnectionError, answers are returned as they are. */
export async function exchange(http: HttpSettings, method: 'GET' | 'POST', path: string, body?: unknown): Promise<RawAnswer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${http.apiKey}`,
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['x-llmlab-source'] = 'sdk';
  }
  let res: Response;
  try {
    res = await http.fetch(`${http.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(http.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new ConnectionError('connection_error', `LLMLab at ${http.baseUrl} could not be reached: ${reason}`);
  }
  const text = await res.text().catch(() => '');
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { raw: text.slice(0, 500) };
    }
  }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: parsed };
}

/** A read or write whose non-2xx answer is thrown as the typed error it maps to. */
export async function requestJson<T>(http: HttpSettings, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const answer = await exchange(http, method, path, body);
  if (answer.status < 200 || answer.status >= 300) throw errorFromResponse(answer.status, answer.body);
  return answer.body as T;
}
