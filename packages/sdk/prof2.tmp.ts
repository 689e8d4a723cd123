import { performance } from 'node:perf_hooks';
import { LLMLab } from './src/index.js';
import { currentAttribution, mergeAttribution } from './src/context/attribution.js';
const input = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1024, feature: 'bench' };
function bench(name: string, fn: () => unknown, n = 100_000) {
  for (let i = 0; i < 20000; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(name, ((performance.now() - t0) * 1000 / n).toFixed(3), 'µs');
}
bench('getStore', () => currentAttribution());
bench('merge', () => mergeAttribution({ environment: undefined }, currentAttribution()));
const off = new LLMLab({ apiKey: 'x', disabled: true, logger: { warn() {} } });
bench('track disabled', () => off.track(input));
bench('track disabled again', () => off.track(input));
process.exit(0);
