import { AppError, MAX_SESSION_CALLS, nanosToUsd, type SessionCallsAnswer } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { PRESENTED_COLUMNS, presentEvent } from '../events/list-events.js';
import { readRawEventsSince } from '../retention/raw-events-since.js';

/**
 * One session of the actor's project: the totals of all its calls and the first MAX_SESSION_CALLS
 * of them in order, each read as one range of the (project, session, ts) index. Another
 * project's session is not found, exactly as one that does not exist.
 */
export async function getSession({ ctx, sessionId, maxCalls = MAX_SESSION_CALLS }: { ctx: TenantContext; sessionId: string; maxCalls?: number }): Promise<SessionCallsAnswer> {
  const calls = () => ctx.db.kysely.selectFrom('events').where('project_id', '=', ctx.actor.projectId).where('session_id', '=', sessionId);
  const [rows, totals, since] = await Promise.all([
    calls().select(PRESENTED_COLUMNS).orderBy('ts').orderBy('id').limit(maxCalls + 1).execute(),
    calls()
      .select((eb) => [
        eb.fn.countAll<number>().as('calls'),
        eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost'),
        eb.fn.sum<number>(eb.case().when('cost_nanos', 'is', null).then(1).else(0).end()).as('unpriced'),
        eb.fn.min<number>('ts').as('first_ts'),
        eb.fn.max<number>('ts').as('last_ts'),
      ])
      .executeTakeFirstOrThrow(),
    readRawEventsSince(ctx),
  ]);
  if (!rows.length) {
    const removed = since === null ? '' : ` (retention removed the project's raw events before ${new Date(since).toISOString()})`;
    throw new AppError('not_found', `session ${sessionId} not found${removed}`);
  }
  const cost = Number(totals.cost);
  return {
    session_id: sessionId,
    calls: Number(totals.calls),
    cost: nanosToUsd(cost),
    cost_nanos: cost,
    unpriced_calls: Number(totals.unpriced ?? 0),
    first_at: new Date(Number(totals.first_ts)).toISOString(),
    last_at: new Date(Number(totals.last_ts)).toISOString(),
    events: rows.slice(0, maxCalls).map(presentEvent),
    truncated: rows.length > maxCalls,
    raw_events_since: since === null ? null : new Date(since).toISOString(),
  };
}
