import type { OpenAPIHono } from '@hono/zod-openapi';
import { DEFAULT_SESSIONS, MAX_SESSION_CALLS, MAX_SESSIONS, SESSION_SORTS, SessionCallsAnswer, SessionListAnswer } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute } from '../http/define-route.js';
import { TimeParam, TimeZoneParam } from '../http/query-params.js';
import { MAX_EVENTS_READ } from '../usage/read-event-cells.js';
import { getSession } from './get-session.js';
import { listSessions } from './list-sessions.js';

export function registerSessionRoutes(app: OpenAPIHono, ctx: AppContext) {
  defineRoute(app, ctx, {
    method: 'get', path: '/api/sessions', tag: 'costs', auth: 'read', role: 'viewer',
    summary: 'Sessions (conversations, agent runs): calls, cost, span, models and end user of each',
    description:
      `The range is [from, to), or the last \`days\` local days in \`tz\` (default 30). Events name their session with \`session_id\` (the track API), \`x-llmlab-session\` (the proxy), \`withTags({ sessionId })\` (the SDK) or \`gen_ai.conversation.id\`, else the trace id (OTLP). ` +
      `Sessions are summed from at most the latest ${MAX_EVENTS_READ.toLocaleString('en-US')} raw events of the range: \`events_read_since\` says where those start when it held more. ` +
      `\`sort=cost\` (default) puts the most expensive first, \`sort=last_at\` the most recently active; \`limit\` of them (default ${DEFAULT_SESSIONS}, at most ${MAX_SESSIONS}).`,
    query: z.object({
      from: TimeParam.optional(),
      to: TimeParam.optional(),
      days: z.coerce.number().int().min(1, { error: 'days must be at least 1' }).max(366, { error: 'days must be at most 366' }).optional(),
      tz: TimeZoneParam,
      sort: z.enum(SESSION_SORTS, { error: 'sort must be cost or last_at' }).default('cost'),
      limit: z.coerce.number().int().min(1, { error: 'limit must be at least 1' }).max(MAX_SESSIONS, { error: `limit must be at most ${MAX_SESSIONS}` }).default(DEFAULT_SESSIONS),
      user_id: z.string().min(1).max(256).optional().describe('Only the calls of this end user'),
    }),
    response: SessionListAnswer, errors: { 400: 'Invalid input; or from is not before to, or the range spans more than 400 days' },
  }, ({ ctx, query }) => listSessions({ ctx, input: query }));
  defineRoute(app, ctx, {
    method: 'get', path: '/api/sessions/{id}', tag: 'costs', auth: 'read', role: 'viewer',
    summary: "A session's totals and its calls in order",
    description: `The totals count every call of the session the project keeps; \`events\` lists the first ${MAX_SESSION_CALLS.toLocaleString('en-US')}, oldest first, and \`truncated\` says when it has more.`,
    params: z.object({ id: z.string().min(1).max(200).describe('The session_id') }),
    response: SessionCallsAnswer, errors: { 404: 'No call of the project names this session' },
  }, ({ ctx, params }) => getSession({ ctx, sessionId: params.id }));
}
