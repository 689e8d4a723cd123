import { connect } from '../api.js';
import { paint } from '../output/colors.js';
import { formatCount, formatMoney, printJson } from '../output/format.js';
import type { TrackResult } from '../wire.js';

export interface TrackOptions {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  feature?: string;
  user?: string;
  eventId?: string;
  json?: boolean;
}

export async function trackEvent(options: TrackOptions): Promise<void> {
  const client = await connect();
  const result = await client.post<TrackResult>('/api/events/track', {
    provider: options.provider,
    model: options.model,
    input_tokens: options.inputTokens,
    output_tokens: options.outputTokens,
    cached_input_tokens: options.cachedInputTokens,
    reasoning_tokens: options.reasoningTokens,
    feature: options.feature,
    user_id: options.user,
    event_id: options.eventId,
  });
  if (options.json) {
    printJson(result);
    return;
  }
  const c = paint();
  const what = `${options.provider}/${options.model}, ${formatCount(options.inputTokens)} in / ${formatCount(options.outputTokens)} out`;
  const cost = result.priced && result.cost !== null ? c.bold(formatMoney(result.cost)) : c.yellow('unpriced (no price known for this model)');
  const verb = result.duplicate ? 'Already tracked' : 'Tracked';
  process.stdout.write(`${c.green('✔')} ${verb} ${what}: ${cost} ${c.dim(`(event ${result.event_id})`)}\n`);
}
