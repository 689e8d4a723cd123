import type { CallOutcome, ProviderSpec, StreamReader } from './providers.js';
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

/**
 * A server-sent event stream, read event by event as it passes. The parser and reader are made
 * with the first chunk read (after that chunk has gone to the client), not before it.
 */
class SseTap implements OutcomeTap {
  private parser: SseParser | undefined;
  private reader: StreamReader | undefined;

  constructor(private readonly spec: ProviderSpec) {}

  push(chunk: Uint8Array): void {
    this.reader ??= this.spec.streamReader();
    this.parser ??= new SseParser();
    this.parser.push(chunk, this.reader);
  }

  end(aborted: boolean): TapResult {
    return { ...this.reader?.outcome(), aborted };
  }
}

/** A JSON answer, kept as it passes and parsed once it is complete. */
class JsonTap implements OutcomeTap {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly spec: ProviderSpec) {}

  push(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    if (this.size <= MAX_JSON_BYTES) this.chunks.push(chunk);
  }

  end(aborted: boolean): TapResult {
    if (aborted || this.size > MAX_JSON_BYTES || this.size === 0) return { aborted };
    try {
      const [first] = this.chunks;
      const whole = this.chunks.length === 1 ? Buffer.from(first.buffer, first.byteOffset, first.byteLength) : Buffer.concat(this.chunks);
      return { ...this.spec.readJson(JSON.parse(whole.toString('utf8'))), aborted };
    } catch {
      return { aborted };
    }
  }
}

export function outcomeTap(spec: ProviderSpec, sse: boolean): OutcomeTap {
  return sse ? new SseTap(spec) : new JsonTap(spec);
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
