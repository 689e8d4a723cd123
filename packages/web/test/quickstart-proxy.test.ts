/**
 * The quick start's proxy snippets, run as written: the addresses read from the page go into the
 * real Gemini, Azure OpenAI and OpenAI clients, and the stand-in provider behind the proxy must be
 * asked at the paths the real APIs serve.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI } from '@google/genai';
import { HOSTED_PROVIDERS } from '@llmlab/core/usage';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { api, openPage, useDashboard } from './harness';

const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
const chatCompletion = (model: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model,
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  usage,
});
const geminiAnswer = {
  candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  modelVersion: 'gemini-2.5-flash',
};

/** Every path and query the stand-in was asked, in order. */
const asked: string[] = [];
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const url = req.url ?? '';
    asked.push(url);
    // Azure answers with the model its deployment serves; Groq with the one asked for.
    const answer = url.includes(':generateContent') ? geminiAnswer : chatCompletion(url.startsWith('/openai/deployments/') ? 'gpt-4o-2024-08-06' : 'llama-3.3-70b-versatile');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
afterAll(() => new Promise((r) => upstream.close(r)));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
// Groq's real upstream has a path (https://api.groq.com/openai): the stand-in keeps it.
const groqPath = new URL(HOSTED_PROVIDERS.find((p) => p.route === 'groq')?.defaultBaseUrl ?? '').pathname;

const d = useDashboard({
  env: { LLMLAB_GOOGLE_BASE_URL: upstreamUrl, LLMLAB_AZURE_BASE_URL: upstreamUrl, LLMLAB_GROQ_BASE_URL: `${upstreamUrl}${groqPath}` },
});

async function proxiedEvent(provider: string) {
  const page = await api<{ events: { provider: string; model: string; input_tokens: number; output_tokens: number }[] }>(d, `/api/events?source=proxy&provider=${provider}`);
  return page.body.events[0];
}

describe('the quick start’s proxy snippets', () => {
  it('reach Gemini, an Azure deployment and Groq at their real paths, and each call is recorded', async () => {
    const page = await openPage(d, '/quickstart');
    const code = (await page.getByTestId('snippet-proxy-clients').textContent()) ?? '';
    await page.close();
    const field = (name: string) => {
      const value = new RegExp(`${name}: '([^']+)'`).exec(code)?.[1];
      if (!value) throw new Error(`the snippet has no ${name}`);
      return value;
    };
    const headers = { 'x-llmlab-key': d.apiKey };

    const gemini = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { baseUrl: field('baseUrl'), headers } });
    await gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
    const azure = new AzureOpenAI({ endpoint: field('endpoint'), apiKey: 'azure-test', apiVersion: field('apiVersion'), deployment: field('deployment'), defaultHeaders: headers });
    await azure.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
    const groq = new OpenAI({ baseURL: field('baseURL'), apiKey: 'gsk-test', defaultHeaders: headers });
    await groq.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'Hi' }] });

    expect(asked).toEqual([
      '/v1beta/models/gemini-2.5-flash:generateContent',
      '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21',
      '/openai/v1/chat/completions',
    ]);
    await expect.poll(() => proxiedEvent('google')).toMatchObject({ model: 'gemini-2.5-flash', input_tokens: 10, output_tokens: 5 });
    await expect.poll(() => proxiedEvent('azure')).toMatchObject({ model: 'gpt-4o-2024-08-06', input_tokens: 10, output_tokens: 5 });
    await expect.poll(() => proxiedEvent('groq')).toMatchObject({ model: 'llama-3.3-70b-versatile', input_tokens: 10, output_tokens: 5 });
  });
});
