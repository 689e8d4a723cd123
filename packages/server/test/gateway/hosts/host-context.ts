/**
 * What the test upstream's provider formats share: the usage a request steers with
 * `x-fake-usage` (the SDK's FakeUsage plus Cohere's and the OpenAI-compatible hosts' counts),
 * and the answer a format gives (JSON, or SSE events that may include comment lines).
 */
import { DEFAULT_FAKE_GEMINI_USAGE, type FakeGeminiUsage } from '../../../../sdk/test/fake-google.js';
import { DEFAULT_FAKE_USAGE, type FakeContext, type FakeUsage } from '../../../../sdk/test/fake-upstream.js';

/** Cohere v2: what is billed, and what the model saw (which adds Cohere's own prompt template). */
export interface CohereCounts {
  billed_input_tokens: number;
  billed_output_tokens: number;
  input_tokens: number;
  output_tokens: number;
}

/**
 * One call on an OpenAI-compatible host, in plain terms; each host reports it in its own fields
 * (hosts/compatible.ts): the prompt with its cache reads, the answer's text and the reasoning.
 */
export interface CompatibleCounts {
  prompt_tokens: number;
  cached_tokens: number;
  text_tokens: number;
  reasoning_tokens: number;
}

export interface GatewayFakeUsage extends FakeUsage {
  google: FakeGeminiUsage;
  cohere: CohereCounts;
  compatible: CompatibleCounts;
}

/** The `x-fake-usage` header: any group, any of its counts. */
export type FakeUsageHeader = { [K in keyof GatewayFakeUsage]?: Partial<GatewayFakeUsage[K]> };

export const DEFAULT_GATEWAY_USAGE: GatewayFakeUsage = {
  ...DEFAULT_FAKE_USAGE,
  google: DEFAULT_FAKE_GEMINI_USAGE,
  // billed_units and tokens differ, as they do at Cohere: a proxy that read `tokens` would be caught.
  cohere: { billed_input_tokens: 25, billed_output_tokens: 180, input_tokens: 240, output_tokens: 183 },
  compatible: { prompt_tokens: 2000, cached_tokens: 1500, text_tokens: 120, reasoning_tokens: 80 },
};

export function mergeUsage(base: GatewayFakeUsage, extra: FakeUsageHeader): GatewayFakeUsage {
  return {
    chat: { ...base.chat, ...extra.chat },
    responses: { ...base.responses, ...extra.responses },
    embeddings: { ...base.embeddings, ...extra.embeddings },
    anthropic: { ...base.anthropic, ...extra.anthropic },
    google: { ...base.google, ...extra.google },
    cohere: { ...base.cohere, ...extra.cohere },
    compatible: { ...base.compatible, ...extra.compatible },
  };
}

export interface HostContext extends FakeContext {
  usage: GatewayFakeUsage;
  /** `x-fake-no-usage`: answer as a server that reports no usage. */
  noUsage: boolean;
}

/** One SSE event, or a comment line (`: text`), which SSE clients skip. */
export type HostSseEvent = { event?: string; data: unknown } | { comment: string };

/** A format's answer: JSON (with its status when not 200), or SSE events (`crlf`: each ends in `\r\n\r\n`, as Google's do). */
export type HostAnswer = { json: unknown; status?: number } | { sse: HostSseEvent[]; crlf?: boolean };

/** The reply every fake writes, split as streams send it. */
export const REPLY = ['Hello', ' from', ' the', ' fake', ' upstream', '.'];
