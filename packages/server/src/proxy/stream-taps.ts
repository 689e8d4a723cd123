import type { ProviderSpec, CallOutcome } from './providers.js';
import { SseParser } from './sse.js';

/** Larger JSON bodies (huge embedding batches) are passed through but not parsed for usage. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

export interface TapResult extends CallOutcome {
  /** The stream ended early: the upstream broke or the call was aborted. */
  aborted: boolean;
}

/** Reads the tee'd copy of a response to the end and says what it told. */
export async function readOutcome(spec: ProviderSpec, body: ReadableStream<Uint8Array>, sse: boolean): Promise<TapResult> {
  const reader = body.getReader();
  if (sse) {
    const parser = new SseParser();
    const state = spec.streamReader();
    const push = state.push.bind(state);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { ...state.outcome(), aborted: false };
        parser.push(value, push);
      }
    } catch {
      return { ...state.outcome(), aborted: true };
    }
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size <= MAX_JSON_BYTES) chunks.push(value);
    }
  } catch {
    return { aborted: true };
  }
  if (size > MAX_JSON_BYTES || size === 0) return { aborted: false };
  try {
    return { ...spec.readJson(JSON.parse(Buffer.concat(chunks).toString('utf8'))), aborted: false };
  } catch {
    return { aborted: false };
  }
}

/** An OpenAI chat chunk that only carries usage: `"choices":[]` plus a usage object. */
function isUsageOnlyChunk(event: string): boolean {
  if (!event.includes('"choices":[]')) return false;
  const data = event
    .split(/\r?\n/)
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trimStart())
    .join('\n');
  try {
    const o = JSON.parse(data) as { choices?: unknown[]; usage?: unknown };
    return Array.isArray(o.choices) && o.choices.length === 0 && typeof o.usage === 'object' && o.usage !== null;
  } catch {
    return false;
  }
}

/**
 * Removes the usage-only final chunk the proxy asked OpenAI for when the client had not asked
 * for it, so clients that read `choices[0]` of every chunk keep working. Whole events pass
 * through as soon as their blank line arrives; only a partial event waits for its end.
 */
export function stripUsageChunk(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const boundary = /\r?\n\r?\n/g;
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      let out = '';
      let start = 0;
      boundary.lastIndex = 0;
      for (let m = boundary.exec(pending); m; m = boundary.exec(pending)) {
        const end = m.index + m[0].length;
        const event = pending.slice(start, end);
        if (!isUsageOnlyChunk(event)) out += event;
        start = end;
      }
      pending = pending.slice(start);
      if (out) controller.enqueue(encoder.encode(out));
    },
    flush(controller) {
      pending += decoder.decode();
      if (pending && !isUsageOnlyChunk(pending)) controller.enqueue(encoder.encode(pending));
    },
  });
}
