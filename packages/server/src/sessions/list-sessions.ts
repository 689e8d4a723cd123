import { nanosToUsd, type SessionListAnswer, type SessionSort } from '@llmlab/core';
import type { TenantContext } from '../context.js';
import { type EventFilters, eventsQuery } from '../events/list-events.js';
import { rawEventsCoverage } from '../retention/raw-events-since.js';
import { resolveRange } from '../usage/get-series.js';
import { MAX_EVENTS_READ, readCut } from '../usage/read-event-cells.js';

export interface ListSessionsInput {
  from?: number;
  to?: number;
  days?: number;
  tz: string;
  sort: SessionSort;
  limit: number;
  user_id?: string;
}

/**
 * The sessions of [from, to) (or the last `days` local days), the most expensive or the most
 * recently active first, `limit` of them. A range of a busy project holds tens of millions of
 * events, so sessions are summed from at most its latest MAX_EVENTS_READ events, as the answers
 * grouped by end user are; `events_read_since` says where those start when the range held more.
 */
export async function listSessions({ ctx, input, maxEvents = MAX_EVENTS_READ }: { ctx: TenantContext; input: ListSessionsInput; maxEvents?: number }): Promise<SessionListAnswer> {
  const range = resolveRange(ctx, { ...input, group_by: 'user' as const });
  const filters: EventFilters = { from: range.from, to: range.to, user_id: input.user_id };
  const [cut, since] = await Promise.all([readCut(ctx, filters, maxEvents), rawEventsCoverage(ctx, range.from)]);
  const read: EventFilters = cut === null ? filters : { ...filters, from: cut + 1 };
  const rows = await sessionTotals(ctx, read, input.sort, input.limit);
  const models = await sessionModels(ctx, read, rows.map((r) => String(r.session_id)));
  return {
    sessions: rows.map((r) => {
      const cost = Number(r.cost);
      const users = Number(r.users);
      return {
        session_id: String(r.session_id),
        calls: Number(r.calls),
        cost: nanosToUsd(cost),
        cost_nanos: cost,
        unpriced_calls: Number(r.unpriced ?? 0),
        first_at: new Date(Number(r.first_ts)).toISOString(),
        last_at: new Date(Number(r.last_ts)).toISOString(),
        models: models.get(String(r.session_id)) ?? [],
        end_user: users === 1 ? (r.user as string) : null,
        end_users: users,
      };
    }),
    sort: input.sort,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    sessions_read: rows.length ? Number(rows[0].sessions) : 0,
    events_read_since: cut === null ? null : new Date(cut + 1).toISOString(),
    raw_events_since: since,
  };
}

/** Per session of the events read: calls, cost, span and end users, sorted, `limit` of them; `sessions` counts them all. */
function sessionTotals(ctx: TenantContext, f: EventFilters, sort: SessionSort, limit: number) {
  return eventsQuery(ctx, f)
    .clearSelect()
    .where('session_id', 'is not', null)
    .select((eb) => [
      'session_id',
      eb.fn.countAll<number>().as('calls'),
      eb.fn.coalesce(eb.fn.sum<number>('cost_nanos'), eb.lit(0)).as('cost'),
      eb.fn.sum<number>(eb.case().when('cost_nanos', 'is', null).then(1).else(0).end()).as('unpriced'),
      eb.fn.min<number>('ts').as('first_ts'),
      eb.fn.max<number>('ts').as('last_ts'),
      eb.fn.min<string>('end_user').as('user'),
      eb.fn.count<number>('end_user').distinct().as('users'),
      // The number of groups, on every row: the sessions read, however few the limit keeps.
      eb.fn.countAll<number>().over().as('sessions'),
    ])
    .groupBy('session_id')
    .orderBy(sort === 'cost' ? 'cost' : 'last_ts', 'desc')
    .orderBy('last_ts', 'desc')
    .orderBy('session_id')
    .limit(limit)
    .execute();
}

/** The "provider/model" names of each listed session's calls in the events read, alphabetical. */
async function sessionModels(ctx: TenantContext, f: EventFilters, ids: string[]): Promise<Map<string, string[]>> {
  const models = new Map<string, string[]>();
  if (!ids.length) return models;
  const rows = await eventsQuery(ctx, f)
    .clearSelect()
    .select(['session_id', 'provider', 'model'])
    .where('session_id', 'in', ids)
    .groupBy(['session_id', 'provider', 'model'])
    .execute();
  for (const r of rows) {
    const list = models.get(r.session_id as string) ?? [];
    list.push(`${r.provider}/${r.model}`);
    models.set(r.session_id as string, list);
  }
  for (const list of models.values()) list.sort();
  return models;
}
