/**
 * Gemini API methods on the test upstream, answered with the SDK's Gemini formats
 * (packages/sdk/test/fake-google.ts, after https://ai.google.dev/api/generate-content).
 */
import { geminiAnswer, geminiError } from '../../../../sdk/test/fake-google.js';
import type { HostAnswer, HostContext } from './host-context.js';

export function answerGoogle(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>, ctx: HostContext): HostAnswer | null {
  return method === 'POST' ? geminiAnswer(path, query, body, ctx, ctx.usage.google) : null;
}

export const googleNotFound = (method: string, path: string) => geminiError(404, 'NOT_FOUND', `Unknown request URL: ${method} ${path}`);
