import { z } from 'zod';
import { Count, IsoTime, Nanos, RawEventsSince, Usd } from './common.js';
import { EventAnswer } from './event-answers.js';

// Sessions: the calls of one conversation or agent run, named by the events' session_id.
// (The dashboard's sign-in session is another thing: GET /api/session.)

/** How GET /api/sessions orders its rows: the most expensive first, or the most recently active first. */
export const SESSION_SORTS = ['cost', 'last_at'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

/** Sessions a list answers at most, and by default. */
export const MAX_SESSIONS = 500;
export const DEFAULT_SESSIONS = 50;
/** Calls GET /api/sessions/{id} lists at most, oldest first. */
export const MAX_SESSION_CALLS = 1000;

/** One session's calls in the events read: their count, cost, span, models and end user. */
export const SessionRow = z
  .strictObject({
    session_id: z.string(),
    calls: Count,
    cost: Usd.describe('USD of the priced calls'),
    cost_nanos: Nanos,
    unpriced_calls: Count.describe('Calls that could not be priced: not in cost, never counted as $0'),
    first_at: IsoTime.describe('The first call read'),
    last_at: IsoTime.describe('The last call read'),
    models: z.array(z.string()).describe('"provider/model" of its calls, alphabetical'),
    end_user: z.string().nullable().describe('The end user of its calls; null when they name none, or several (see end_users)'),
    end_users: Count.describe('How many different end users its calls name'),
  })
  .meta({ id: 'AgentSessionRow' });
export type SessionRow = z.infer<typeof SessionRow>;

/** GET /api/sessions: the sessions of [from, to), most expensive (or most recent) first. */
export const SessionListAnswer = z
  .strictObject({
    sessions: z.array(SessionRow),
    sort: z.enum(SESSION_SORTS),
    from: IsoTime,
    to: IsoTime,
    sessions_read: Count.describe('Sessions in the events read; `sessions` holds the first `limit` of them'),
    events_read_since: IsoTime.nullable().describe(
      'Sessions are summed from at most the latest 50,000 raw events of the range: null when the range held no more; else the instant those events start at, ' +
        'and every number covers only what follows it (a session that began before it shows only its later calls; GET /api/sessions/{id} shows them all)',
    ),
    raw_events_since: RawEventsSince,
  })
  .meta({ id: 'AgentSessionList' });
export type SessionListAnswer = z.infer<typeof SessionListAnswer>;

/** GET /api/sessions/{id}: a session's totals and its calls in order. */
export const SessionCallsAnswer = z
  .strictObject({
    session_id: z.string(),
    calls: Count.describe('All its calls the project keeps'),
    cost: Usd,
    cost_nanos: Nanos,
    unpriced_calls: Count,
    first_at: IsoTime,
    last_at: IsoTime,
    events: z.array(EventAnswer).describe('Its calls, oldest first: at most the first 1,000'),
    truncated: z.boolean().describe('It has more calls than `events` lists (the totals count them all)'),
    raw_events_since: RawEventsSince.describe("Set when the project's retention removed raw events before this instant: calls of the session before it are gone"),
  })
  .meta({ id: 'AgentSession' });
export type SessionCallsAnswer = z.infer<typeof SessionCallsAnswer>;
