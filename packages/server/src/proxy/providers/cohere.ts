import { type CohereUsage, normalizeCohereUsage } from '@llmlab/core';
import type { SseEvent } from '../sse.js';
import { bearer, type CallOutcome, isObj, type Obj, parse, type ProviderSpec, type StreamReader, str, writeBearer } from './provider-spec.js';

/** Chat answers carry `usage`; embed answers carry the same counts in `meta`. */
function usageOf(o: Obj): CallOutcome['usage'] {
  const block = isObj(o.usage) ? o.usage : isObj(o.meta) && (isObj(o.meta.billed_units) || isObj(o.meta.tokens)) ? o.meta : undefined;
  return block ? normalizeCohereUsage(block as CohereUsage) : undefined;
}

/** Cohere v2 chat stream: `message-end` carries the usage in `delta.usage`. */
class CohereStreamReader implements StreamReader {
  private readonly out: CallOutcome = {};

  push(e: SseEvent): void {
    // Only the last event is read: content deltas pass unparsed.
    if (e.event !== 'message-end' && !e.data.includes('"message-end"')) return;
    const o = parse(e.data);
    if (!o || !isObj(o.delta)) return;
    const usage = usageOf(o.delta);
    if (usage) this.out.usage = usage;
    if (o.delta.finish_reason === 'ERROR') this.out.errorType = str(o.delta.error) ?? 'error';
  }

  outcome(): CallOutcome {
    return this.out;
  }
}

/**
 * Cohere API v2 (`/v2/chat`, `/v2/embed`). The cost is read from `billed_units`, which is what
 * Cohere bills; its answers do not name the model, so the request's model is recorded.
 */
export const cohere: ProviderSpec = {
  name: 'cohere',
  provider: 'cohere',
  format: 'cohere',
  baseUrl: (config) => config.upstreams.cohere,
  readAuth: bearer,
  writeAuth: writeBearer,
  errorBody: (_kind, message) => ({ message }),
  readJson: (body) => {
    if (!isObj(body)) return {};
    const out: CallOutcome = { usage: usageOf(body) };
    if (out.usage === undefined && typeof body.message === 'string' && body.id === undefined) out.errorType = 'error';
    return out;
  },
  streamReader: () => new CohereStreamReader(),
  request: {},
};
