import { type IncomingMessage, request as httpRequest } from 'node:http';
import { resolveSetting } from './config-file.js';
import { CliError } from './errors.js';

type Query = Record<string, string | number | boolean | undefined>;

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** No answer within this long, on a socket that has gone quiet, is a failure. */
const IDLE_TIMEOUT_MS = 30_000;

/**
 * The server's HTTP API as the CLI uses it. Every failure becomes a CliError whose message says
 * what to do next: no stack traces, no raw socket errors.
 *
 * Built on node:http rather than fetch: loading undici and waiting for its pooled socket to let
 * the process exit cost a short command more than its whole run.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly keySource: string;

  /** `keySource` says where the key came from (env, file, given), to say where to fix it. */
  constructor(baseUrl: string, token: string | undefined, keySource = 'file') {
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

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path);
  }

  /** The response of a successful GET, as a stream of its body. */
  async open(path: string, query?: Query): Promise<IncomingMessage> {
    const response = await this.send('GET', path, query);
    if (!ok(response)) throw await this.failure(response);
    return response;
  }

  /** GET that answers null on 404, for endpoints a server version may not have. */
  async getOptional<T>(path: string, query?: Query): Promise<T | null> {
    const response = await this.send('GET', path, query);
    if (response.statusCode === 404) {
      response.resume();
      return null;
    }
    if (!ok(response)) throw await this.failure(response);
    return JSON.parse(await readBody(response)) as T;
  }

  private async json<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const response = await this.send(method, path, query, body);
    if (!ok(response)) throw await this.failure(response);
    return JSON.parse(await readBody(response)) as T;
  }

  private async send(method: string, path: string, query?: Query, body?: unknown): Promise<IncomingMessage> {
    const url = this.url(path, query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const request = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers }, resolve);
      req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (error) => reject(this.unreachable(error)));
      req.end(payload);
    });
  }

  private url(path: string, query?: Query): URL {
    let url: URL;
    try {
      url = new URL(`${this.baseUrl}${path}`);
    } catch {
      throw new CliError(`The server address "${this.baseUrl}" is not a URL; fix it with \`llmlab config set base_url <url>\`.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError(`The server address "${this.baseUrl}" is not http(s); fix it with \`llmlab config set base_url <url>\`.`);
    }
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  private unreachable(error: unknown): CliError {
    // "localhost" may try two addresses: the socket errors then come as an AggregateError.
    const nested = (error as { errors?: { code?: string }[] }).errors;
    const code = (error as { code?: string }).code ?? nested?.[0]?.code;
    const where = this.baseUrl;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new CliError(`Cannot find the host of ${where}; check the address with \`llmlab config\`.`);
    }
    if (code === 'ETIMEDOUT') {
      return new CliError(`The LLMLab server at ${where} did not answer within ${IDLE_TIMEOUT_MS / 1000} s; check that it is running and try again.`);
    }
    return new CliError(
      `Cannot reach the LLMLab server at ${where}${code ? ` (${code})` : ''}; start it with \`llmlab serve\` or fix the address with \`llmlab config set base_url <url>\`.`,
    );
  }

  private async failure(response: IncomingMessage): Promise<CliError> {
    const status = response.statusCode ?? 0;
    let message = '';
    try {
      message = (JSON.parse(await readBody(response)) as ErrorBody).error?.message ?? '';
    } catch {
      message = '';
    }
    if (status === 401) {
      const fixes: Record<string, string> = {
        env: 'set LLMLAB_API_KEY to a valid key',
        file: 'run `llmlab init` to save a valid key',
        given: 'check the key (the dashboard lists them under Settings) and try again',
      };
      const fix = fixes[this.keySource] ?? fixes.file;
      return new CliError(
        this.token
          ? `The server at ${this.baseUrl} rejected the API key; ${fix}.`
          : 'No API key is configured; run `llmlab init` or set LLMLAB_API_KEY.',
      );
    }
    if (status === 403) {
      const reason = capitalize((message || 'the API key is not allowed to do this').replace(/[.!]+$/, ''));
      // A new key fixes a missing scope; it cannot raise the role the org gives its creator.
      if (message && !/\bscope\b/.test(message)) return new CliError(`${reason}.`);
      return new CliError(`${reason}; run \`llmlab init\` and log in to get a key with every scope.`);
    }
    if (status >= 500) {
      return new CliError(`The server failed with ${status}${message ? `: ${message}` : ''}; check its log and try again.`);
    }
    return new CliError(sentence(capitalize(message || `The server answered ${status} ${response.statusMessage ?? ''}`)));
  }
}

function ok(response: IncomingMessage): boolean {
  const status = response.statusCode ?? 0;
  return status >= 200 && status < 300;
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
