/**
 * The one way the dashboard talks to the server: same-origin fetch with the session cookie,
 * the CSRF header on writes, the selected project, and errors turned into ApiError.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export const CSRF_COOKIE = 'llmlab_csrf';
export const CSRF_HEADER = 'x-llmlab-csrf';

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** A path with its query string; empty values are left out so URLs stay short and shareable. */
export function buildPath(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(buildPath(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check that LLMLab is running.');
  }
  const text = await res.text();
  const data: unknown = text ? safeParse(text) : undefined;
  if (!res.ok) throw toApiError(res.status, data);
  return data as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  if (err && typeof err === 'object') {
    return new ApiError(status, err.code ?? 'error', err.message ?? `Request failed (${status})`, err.details);
  }
  return new ApiError(status, status === 404 ? 'not_found' : 'error', `Request failed with status ${status}`);
}

/** Scoped calls: every request names the project chosen in the URL. */
export function projectApi(projectId: string | undefined) {
  const withProject = (query?: Query): Query => ({ ...query, project_id: projectId });
  return {
    get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query: withProject(query), signal }),
    post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', query: withProject(), body: body ?? {} }),
    put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', query: withProject(), body }),
    patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', query: withProject(), body }),
    del: <T>(path: string) => request<T>(path, { method: 'DELETE', query: withProject() }),
  };
}

export type ProjectApi = ReturnType<typeof projectApi>;
