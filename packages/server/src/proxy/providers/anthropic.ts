import { normalizeAnthropicUsage, serviceTierFromAnswer } from '@llmlab/core';
import type { SseEvent } from '../sse.js';
import { bearer, type GatewayErrorKind, isObj, type Obj, parse, type ProviderSpec, type StreamReader, str } from './provider-spec.js';

const ANTHROPIC_ERROR: Record<GatewayErrorKind, string> = {
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  bad_request: 'invalid_request_error',
  too_large: 'request_too_large',
  budget_exceeded: 'rate_limit_error',
  rate_limited: 'rate_limit_error',
  unavailable: 'overloaded_error',
  timeout: 'timeout_error',
  bad_gateway: 'api_error',
  internal: 'api_error',
};

/** Anthropic message events: message_start carries the model and the prompt's usage, message_delta the rest. */
class AnthropicStreamReader implements StreamReader {
  private model: string | undefined;
  private raw: Obj | undefined;
  /** message_delta arrived: the output count is final. */
  private final = false;
  private errorType: string | undefined;

  push(e: SseEvent): void {
    const kind = e.event ?? '';
    if (kind !== 'message_start' && kind !== 'message_delta' && kind !== 'error') return;
    const o = parse(e.data);
    if (!o) return;
    if (kind === 'message_start' && isObj(o.message)) {
      this.model = str(o.message.model);
      if (isObj(o.message.usage)) this.raw = { ...o.message.usage };
    } else if (kind === 'message_delta' && isObj(o.usage)) {
      // message_delta usage is cumulative: its fields replace message_start's.
      this.raw = { ...this.raw, ...Object.fromEntries(Object.entries(o.usage).filter(([, v]) => v !== null)) };
      this.final = true;
    } else if (kind === 'error') {
      this.errorType = str((o.error as Obj | undefined)?.type) ?? 'error';
    }
  }

  outcome() {
    return {
      model: this.model,
      usage: this.raw ? normalizeAnthropicUsage(this.raw) : undefined,
      usagePartial: this.raw !== undefined && !this.final,
      errorType: this.errorType,
      serviceTier: serviceTierFromAnswer(this.raw?.service_tier) ?? undefined,
    };
  }
}

export const anthropic: ProviderSpec = {
  name: 'anthropic',
  provider: 'anthropic',
  format: 'anthropic',
  baseUrl: (config) => config.anthropicBaseUrl,
  readAuth: (headers) => headers.get('x-api-key') ?? bearer(headers),
  writeAuth: (headers, key, target) => {
    delete headers.authorization;
    headers['x-api-key'] = key;
    return target;
  },
  errorBody: (kind, message) => ({ type: 'error', error: { type: ANTHROPIC_ERROR[kind], message } }),
  readJson: (body) => {
    if (!isObj(body)) return {};
    return {
      model: str(body.model),
      usage: isObj(body.usage) ? normalizeAnthropicUsage(body.usage) : undefined,
      serviceTier: isObj(body.usage) ? (serviceTierFromAnswer(body.usage.service_tier) ?? undefined) : undefined,
      errorType: isObj(body.error) ? (str(body.error.type) ?? 'error') : undefined,
    };
  },
  streamReader: () => new AnthropicStreamReader(),
  request: { unrecorded: /\/count_tokens$/ },
};
