import type { OtlpExportAnswer } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import type { OtlpSpan } from './decode-traces.js';
import { recordSpanCalls } from './record-span-calls.js';
import { type SpanCall, spanToCall } from './spans-to-events.js';

const running = new Map<string, Promise<unknown>>();

/**
 * Runs a project's exports one after another in this process, so that two exports holding spans
 * of one call (a child and its parent, sent apart) see each other's spans.
 */
function oneAtATime<T>(projectId: string, work: () => Promise<T>): Promise<T> {
  const previous = running.get(projectId) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  running.set(projectId, next);
  void next.catch(() => undefined).finally(() => {
    if (running.get(projectId) === next) running.delete(projectId);
  });
  return next;
}

/**
 * Records the GenAI call spans of one export request (other spans are ignored); answers OTLP's
 * partial success when spans were rejected, naming the first five reasons.
 */
export async function recordSpans({ ctx, input }: { ctx: TenantContext; input: { spans: readonly OtlpSpan[] } }): Promise<OtlpExportAnswer> {
  const now = ctx.now();
  const rejected: string[] = [];
  const calls: SpanCall[] = [];
  for (const span of input.spans) {
    const verdict = spanToCall(span, now);
    if (verdict.kind === 'call') calls.push(verdict.call);
    else if (verdict.kind === 'rejected') rejected.push(verdict.reason);
  }
  await oneAtATime(ctx.actor.projectId, () => recordSpanCalls(ctx, calls));
  return rejected.length ? { partialSuccess: { rejectedSpans: rejected.length, errorMessage: rejected.slice(0, 5).join('; ') } } : {};
}
