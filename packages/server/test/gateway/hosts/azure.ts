/**
 * Azure OpenAI on the test upstream, after the Azure OpenAI REST reference
 * (https://learn.microsoft.com/azure/ai-services/openai/reference, API version 2024-10-21, and the
 * v1 API at /openai/v1/): OpenAI's chat completion, chunk and embeddings bodies, plus
 * `prompt_filter_results` and per-choice `content_filter_results`; a stream opens with a chunk
 * that has no choices, no id and an empty model, holding only the prompt's filter results.
 * Azure answers with the model the deployment serves, never the deployment's name.
 */
import { chatCompletion, chatStream, embeddingList } from '../../../../sdk/test/fake-openai.js';
import type { HostAnswer, HostContext } from './host-context.js';

/** The model each test deployment serves. */
export const AZURE_DEPLOYMENTS: Record<string, string> = {
  'prod-chat': 'gpt-4o-2024-08-06',
  'cheap-chat': 'gpt-4o-mini-2024-07-18',
  'embed-small': 'text-embedding-3-small',
};

const safe = { filtered: false, severity: 'safe' };
const CONTENT_FILTER = { hate: safe, self_harm: safe, sexual: safe, violence: safe };
const PROMPT_FILTER = [{ prompt_index: 0, content_filter_results: { ...CONTENT_FILTER, jailbreak: { filtered: false, detected: false } } }];

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
const V1_PATH = /^\/openai\/v1\/(chat\/completions|embeddings)$/;

type Obj = Record<string, unknown>;

function chat(body: Obj, ctx: HostContext): HostAnswer {
  if (body.stream !== true) {
    const { service_tier: _none, ...completion } = chatCompletion(body, ctx);
    return { json: { ...completion, choices: completion.choices.map((c) => ({ ...c, content_filter_results: CONTENT_FILTER })), prompt_filter_results: PROMPT_FILTER } };
  }
  const chunks = chatStream(body, ctx).map(({ data }) => {
    if (typeof data === 'string') return { data };
    const { service_tier: _none, ...chunk } = data as Obj & { choices: Obj[] };
    return { data: { ...chunk, choices: chunk.choices.map((c) => ({ ...c, content_filter_results: c.finish_reason ? {} : CONTENT_FILTER })) } };
  });
  return { sse: [{ data: { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER } }, ...chunks] };
}

/** `deployment`: from the path, or (v1 API) the body's model, which names a deployment there. */
export function answerAzure(method: string, path: string, query: URLSearchParams, body: Obj, ctx: HostContext): HostAnswer | null {
  if (method !== 'POST') return null;
  const inPath = DEPLOYMENT_PATH.exec(path);
  const v1 = V1_PATH.exec(path);
  // The dated API needs its api-version; without one Azure answers 404.
  if ((!inPath || !query.get('api-version')) && !v1) return null;
  const deployment = inPath ? decodeURIComponent(inPath[1]) : String(body.model);
  const model = AZURE_DEPLOYMENTS[deployment];
  if (!model) {
    return { status: 404, json: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' } } };
  }
  const served: HostContext = { ...ctx, model: () => model };
  return (inPath?.[2] ?? v1?.[1]) === 'embeddings' ? { json: embeddingList(body, served) } : chat(body, served);
}

export const azureNotFound = () => ({ error: { code: '404', message: 'Resource not found' } });
