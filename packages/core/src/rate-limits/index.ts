/** Rate limits, pure: which limits cover a call and the sliding-window arithmetic, shared by the proxy and the SDK guard (`@llmlab/core/rate-limits`). */
export * from './rate-limit-rules.js';
export * from './sliding-window.js';
