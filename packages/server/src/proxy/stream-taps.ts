import type { ProviderSpec, CallOutcome } from './providers.js';
import { SseParser } from './sse.js';

/** Larger JSON bodies (huge embedding batches) are passed through but not parsed for usage. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

export interface TapResult extends CallOutcome {
  /** The stream ended early: the upstream broke or the call was aborted. */
  aborted: boolean;
}

/** Reads a response's chunks as they are relayed (no second copy of the stream) and says what they told. */
export interface OutcomeTap {
  push(chunk: Uint8Array): void;
  end(aborted: boolean): TapResult;
}

export function outcomeTap(spec: ProviderSpec, sse: boolean): OutcomeTap {
  if (sse) {
    const parser = new SseParser();
    const state = spec.streamReader();
    const push = state.push.bind(state);
    return {
      push: (chunk) => parser.push(chunk, push),
      end: (aborted) => ({ ...state.outcome(), aborted }),
    };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  return {
    push(chunk) {
      size += chunk.byteLength;
      if (size <= MAX_JSON_BYTES) chunks.push(chunk);
    },
    end(aborted) {
      if (aborted) return { aborted };
      if (size > MAX_JSON_BYTES || size === 0) return { aborted };
      try {
        return { ...spec.readJson(JSON.parse(Buffer.concat(chunks).toString('utf8'))), aborted };
      } catch {
        return { aborted };
      }
    },
  };
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

export interface ChunkFilter {
  /** The bytes to relay now (possibly none). */
  push(chunk: Uint8Array): Uint8Array | undefined;
  /** The bytes left at the end of the stream. */
  flush(): Uint8Array | undefined;
}

/**
 * Removes the usage-only final chunk the proxy asked OpenAI for when the client had not asked
 * for it, so clients that read `choices[0]` of every chunk keep working. Whole events pass
 * through as soon as their blank line arrives; only a partial event waits for its end.
 */
export function stripUsageChunk(): ChunkFilter {
  const decoder = new TextDecoder();
  let pending = '';
  const boundary = /\r?\n\r?\n/g;
  return {
    push(chunk) {
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
      return out ? Buffer.from(out) : undefined;
    },
    flush() {
      pending += decoder.decode();
      return pending && !isUsageOnlyChunk(pending) ? Buffer.from(pending) : undefined;
    },
  };
}
