/**
 * The providers beyond OpenAI and Anthropic on the test upstream, each under its own path
 * prefix: the path its real API has after the host name (Groq's `/openai`, Fireworks'
 * `/inference`, OpenRouter's `/api`), behind a segment naming it. A gateway test points
 * LLMLAB_<ROUTE>_BASE_URL at `${upstream.url}${HOST_BASE_PATHS[route]}`, so the calls arrive as,
 * say, `/groq/openai/v1/chat/completions`.
 */
import { answerAzure, azureNotFound } from './azure.js';
import { answerCohere, cohereError } from './cohere.js';
import { answerCompatible, COMPATIBLE_HOSTS } from './compatible.js';
import { answerGoogle, googleNotFound } from './google.js';
import type { HostAnswer, HostContext } from './host-context.js';

export const HOST_ROUTES = ['google', 'azure', 'cohere', ...COMPATIBLE_HOSTS] as const;
export type HostRoute = (typeof HOST_ROUTES)[number];

export const HOST_BASE_PATHS: Record<HostRoute, string> = {
  google: '/google',
  azure: '/azure',
  cohere: '/cohere',
  groq: '/groq/openai',
  deepseek: '/deepseek',
  mistral: '/mistral',
  together: '/together',
  fireworks: '/fireworks/inference',
  openrouter: '/openrouter/api',
  xai: '/xai',
  perplexity: '/perplexity',
  cerebras: '/cerebras',
  ollama: '/ollama',
  vllm: '/vllm',
};

/** The host a path is for, and the path as that host's API reads it; undefined for OpenAI's and Anthropic's paths. */
export function hostOfPath(path: string): { route: HostRoute; path: string } | undefined {
  for (const route of HOST_ROUTES) {
    const base = HOST_BASE_PATHS[route];
    if (path.startsWith(`${base}/`)) return { route, path: path.slice(base.length) };
  }
  return undefined;
}

export function answerHost(route: HostRoute, method: string, path: string, query: URLSearchParams, body: Record<string, unknown>, ctx: HostContext): HostAnswer | null {
  switch (route) {
    case 'google':
      return answerGoogle(method, path, query, body, ctx);
    case 'azure':
      return answerAzure(method, path, query, body, ctx);
    case 'cohere':
      return answerCohere(method, path, body, ctx);
    default:
      return answerCompatible(route, method, path, body, ctx);
  }
}

/** The 404 a host answers for a path it does not know, in its own error format. */
export function hostNotFound(route: HostRoute, method: string, path: string): unknown {
  if (route === 'google') return googleNotFound(method, path);
  if (route === 'azure') return azureNotFound();
  if (route === 'cohere') return cohereError(`unknown path: ${method} ${path}`);
  return { error: { message: `Unknown request URL: ${method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } };
}
