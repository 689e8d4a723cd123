import type { TrackEventInput } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { type EventSource, recordEvents } from './record-events.js';

/** Records a batch (see recordEvents) and counts the events it stored and those already stored. */
export async function recordBatch({ ctx, input }: { ctx: TenantContext; input: { events: TrackEventInput[]; source: EventSource } }) {
  const events = await recordEvents({ ctx, input });
  const duplicates = events.filter((e) => e.duplicate).length;
  return { success: true as const, accepted: events.length - duplicates, duplicates, events };
}
