import { resolveSetting } from './config-file.js';
import { CliError } from './errors.js';

type Query = Record<string, string | number | boolean | undefined>;

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/**
 * The server's HTTP API as the CLI uses it. Every failure becomes a CliError whose message says
 * what to do next: no stack traces, no raw fetch errors.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly keySource: string;

  constructor(baseUrl: string, token: string | undefined, keySource = 'config') {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = token;
    this.keySource = keySource;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', path, query);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, undefined, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', path, undefined, body);
  }

  /** The raw response of a successful GET, for streaming its body. */
  async open(path: string, query?: Query): Promise<Response> {
    const response = await this.send('GET', path, query);
    if (!response.ok) throw await this.failure(response);
    return response;
  }

  /** GET that answers null on 404, for endpoints a server version may not have. */
  async getOptional<T>(path: string, query?: Query): Promise<T | null> {
    const response = await this.send('GET', path, query);
    if (response.status === 404) return null;
    if (!response.ok) throw await this.failure(response);
    return (await response.json()) as T;
  }

  private async json<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const response = await this.send(method, path, query, body);
    if (!response.ok) throw await this.failure(response);
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, query?: Query, body?: unknown): Promise<Response> {
    const url = this.url(path, query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw this.unreachable(error);
    }
  }

  private url(path: string, query?: Query): string {
    let url: URL;
    try {
      url = new URL(`${this.baseUrl}${path}`);
    } catch {
      throw new CliError(`The server address "${this.baseUrl}" is not a URL; fix it with \`llmlab config set base_url <url>\`.`);
    }
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.href;
  }

  private unreachable(error: unknown): CliError {
    const cause = (error as { cause?: { code?: string } }).cause;
    const code = cause?.code ?? (error as { code?: string }).code;
    const where = this.baseUrl;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new CliError(`Cannot find the host of ${where}; check the address with \`llmlab config\`.`);
    }
    return new CliError(
      `Cannot reach the LLMLab server at ${where}${code ? ` (${code})` : ''}; start it with \`llmlab serve\` or fix the address with \`llmlab config set base_url <url>\`.`,
    );
  }

  private async failure(response: Response): Promise<CliError> {
    let message = '';
    try {
      const body = (await response.json()) as ErrorBody;
      message = body.error?.message ?? '';
    } catch {
      message = '';
    }
    if (response.status === 401) {
      const fix =
        this.keySource === 'env'
          ? 'set LLMLAB_API_KEY to a valid key'
          : 'run `llmlab init` to save a valid key';
      return new CliError(
        this.token
          ? `The server at ${this.baseUrl} rejected the API key; ${fix}.`
          : `No API key is configured; run \`llmlab init\` or set LLMLAB_API_KEY.`,
      );
    }
    if (response.status === 403) {
      return new CliError(`${sentence(message || 'The API key is not allowed to do this')} Use a key with the needed scope (\`llmlab init\`).`);
    }
    if (response.status >= 500) {
      return new CliError(`The server failed with ${response.status}${message ? `: ${message}` : ''}; check its log and try again.`);
    }
    return new CliError(sentence(message || `The server answered ${response.status} ${response.statusText}`));
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** A client for the configured server and key; fails early when no key is set. */
export async function connect(options: { requireKey?: boolean } = {}): Promise<ApiClient> {
  const [base, key] = await Promise.all([resolveSetting('base_url'), resolveSetting('api_key')]);
  if (options.requireKey !== false && !key.value) {
    throw new CliError('No API key is configured; run `llmlab init` or set LLMLAB_API_KEY.');
  }
  return new ApiClient(base.value as string, key.value, key.source);
}
