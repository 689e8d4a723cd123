import { performance } from 'node:perf_hooks';
import { newEventId } from './src/events/event-id.js';
import { toWireEvent } from './src/events/wire-event.js';
import { LLMLab } from './src/index.js';
const input = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1024, feature: 'bench' };
function bench(name: string, fn: () => unknown, n = 200_000) {
  for (let i = 0; i < 20000; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(name, ((performance.now() - t0) * 1000 / n).toFixed(3), 'µs');
}
bench('newEventId', () => newEventId());
bench('toWireEvent', () => toWireEvent(input));
const off = new LLMLab({ apiKey: 'x', disabled: true, logger: { warn() {} } });
bench('track disabled', () => off.track(input));
const on = new LLMLab({ apiKey: 'x', baseUrl: 'http://127.0.0.1:9', maxQueueSize: 1_000_000, batchSize: 1000, flushOnExit: false, logger: { warn() {} } });
bench('track enabled (no sends)', () => on.track(input), 100_000);
process.exit(0);
