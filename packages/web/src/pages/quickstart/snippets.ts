/** Copy-paste snippets for this server; the key stays a placeholder so no secret is ever shown. */
export const KEY_PLACEHOLDER = 'llmlab_YOUR_API_KEY';

export function snippets(origin: string) {
  return [
    {
      id: 'sdk',
      title: 'TypeScript SDK',
      intro: 'Wrap the official OpenAI or Anthropic client: every call is costed with its real usage, streaming included.',
      code: `npm install @llmlab/sdk

import OpenAI from 'openai';
import { LLMLab, wrapOpenAI, withTags } from '@llmlab/sdk';

const llmlab = new LLMLab({ apiKey: '${KEY_PLACEHOLDER}', baseUrl: '${origin}' });
const openai = wrapOpenAI(new OpenAI());

await withTags({ feature: 'summarize', userId: 'customer-42' }, () =>
  openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
);`,
    },
    {
      id: 'python',
      title: 'Python SDK',
      intro: 'Standard library only.',
      code: `from llmlab import sdk

sdk.init("${KEY_PLACEHOLDER}", base_url="${origin}")
sdk.track_call(provider="openai", model="gpt-4o-mini", input_tokens=1000, output_tokens=500,
               metadata={"feature": "summarize"})`,
    },
    {
      id: 'proxy',
      title: 'Proxy (no code change)',
      intro:
        'Point your client at LLMLab; it forwards to the provider and records the usage. Your provider key is passed through.',
      code: `# OpenAI
export OPENAI_BASE_URL=${origin}/proxy/openai/v1
curl $OPENAI_BASE_URL/chat/completions \\
  -H "Authorization: Bearer $OPENAI_API_KEY" -H "x-llmlab-key: ${KEY_PLACEHOLDER}" \\
  -H "content-type: application/json" \\
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}'

# Anthropic
export ANTHROPIC_BASE_URL=${origin}/proxy/anthropic`,
    },
    {
      id: 'proxy-clients',
      title: 'Proxy for Gemini, Azure OpenAI and OpenAI-compatible hosts',
      intro:
        'The provider’s own client with LLMLab’s address and one more header. With a provider key stored in Settings → Gateway, pass your LLMLab key as the apiKey instead.',
      code: `import { GoogleGenAI } from '@google/genai';
import OpenAI, { AzureOpenAI } from 'openai';

// Gemini
const gemini = new GoogleGenAI({
  apiKey: process.env.GEMINI_API_KEY,
  httpOptions: { baseUrl: '${origin}/proxy/google', headers: { 'x-llmlab-key': '${KEY_PLACEHOLDER}' } },
});

// Azure OpenAI: set your resource's endpoint in Settings → Gateway
const azure = new AzureOpenAI({
  endpoint: '${origin}/proxy/azure',
  apiKey: process.env.AZURE_OPENAI_API_KEY,
  apiVersion: '2024-10-21',
  deployment: 'my-deployment',
  defaultHeaders: { 'x-llmlab-key': '${KEY_PLACEHOLDER}' },
});

// Groq; likewise DeepSeek, Mistral, Together, Fireworks, OpenRouter, xAI, Cerebras, Ollama, vLLM at /proxy/<host>/v1
const groq = new OpenAI({
  baseURL: '${origin}/proxy/groq/v1',
  apiKey: process.env.GROQ_API_KEY,
  defaultHeaders: { 'x-llmlab-key': '${KEY_PLACEHOLDER}' },
});`,
    },
    {
      id: 'cli',
      title: 'Command line',
      intro: 'See spend, budgets and savings from a terminal or a CI job.',
      code: `npx llmlab init --base-url ${origin} --api-key ${KEY_PLACEHOLDER}
npx llmlab status
npx llmlab optimize
npx llmlab budget --amount 100 --period monthly`,
    },
    {
      id: 'http',
      title: 'HTTP API',
      intro: 'Any language: one POST per call (or batches of up to 1,000 at /api/events/batch).',
      code: `curl -X POST ${origin}/api/events/track \\
  -H "Authorization: Bearer ${KEY_PLACEHOLDER}" -H "content-type: application/json" \\
  -d '{"provider":"openai","model":"gpt-4o-mini","input_tokens":1200,"output_tokens":300,"feature":"chat"}'`,
    },
  ];
}
