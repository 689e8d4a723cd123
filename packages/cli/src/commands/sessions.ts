import { connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatCount, formatLocalTime, formatMoney, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import { resolveTimeRange } from '../time-range.js';
import type { SessionCalls, SessionList } from '../wire.js';

export interface SessionsOptions {
  days: number;
  from?: string;
  to?: string;
  sort: 'cost' | 'recent';
  limit: number;
  user?: string;
  tz?: string;
  json?: boolean;
}

export async function showSessions(id: string | undefined, options: SessionsOptions): Promise<void> {
  if (options.limit > 500) throw usageError(`--limit ${options.limit} is over 500, the most one list holds.`);
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  const zone = tz.value as string;
  if (id !== undefined) {
    const session = await client.get<SessionCalls>(`/api/sessions/${encodeURIComponent(id)}`);
    if (options.json) printJson(session);
    else process.stdout.write(`${renderSession(session, zone)}\n`);
    return;
  }
  const { from, to } = await resolveTimeRange(options, zone);
  const days = from === undefined && to === undefined ? options.days : undefined;
  const list = await client.get<SessionList>('/api/sessions', {
    from, to, days, tz: zone, sort: options.sort === 'recent' ? 'last_at' : 'cost', limit: options.limit, user_id: options.user,
  });
  if (options.json) printJson(list);
  else process.stdout.write(`${renderSessionList(list, zone)}\n`);
}

const cost = (usd: number, unpriced: number) => `${formatMoney(usd)}${unpriced ? ` + ${formatCount(unpriced)} unpriced` : ''}`;

export function renderSessionList(r: SessionList, tz: string): string {
  const c = paint();
  const lines = [c.bold(c.cyan(`LLMLab sessions · ${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}, ${r.sort === 'cost' ? 'most expensive' : 'most recent'} first`)), ''];
  if (!r.sessions.length) {
    lines.push('No sessions in this range. Name them with session_id (API), x-llmlab-session (proxy) or withTags({ sessionId }) (SDK).');
    return lines.join('\n');
  }
  lines.push(
    renderTable(
      r.sessions.map((s) => [s.session_id, formatCount(s.calls), cost(s.cost, s.unpriced_calls), formatLocalTime(s.first_at, tz), formatLocalTime(s.last_at, tz), s.end_user ?? (s.end_users ? `${s.end_users} users` : '–'), s.models.join(', ')]),
      { head: ['Session', 'Calls', 'Cost', 'First call', 'Last call', 'User', 'Models'], align: ['left', 'right', 'right', 'left', 'left', 'left', 'left'] },
    ),
  );
  if (r.sessions_read > r.sessions.length) lines.push('', c.dim(`${formatCount(r.sessions.length)} of ${formatCount(r.sessions_read)} sessions; --limit shows more.`));
  if (r.events_read_since) lines.push(c.dim(`Summed from the latest 50,000 calls of the range, from ${r.events_read_since}; \`llmlab sessions <id>\` totals a session over all its calls.`));
  if (r.raw_events_since) lines.push(c.yellow(`! The project's retention removed raw events before ${r.raw_events_since}.`));
  return lines.join('\n');
}

export function renderSession(s: SessionCalls, tz: string): string {
  const c = paint();
  const start = Date.parse(s.first_at);
  let running = 0;
  const rows = s.events.map((e) => {
    running += e.cost_nanos ?? 0;
    const offset = (Date.parse(e.timestamp) - start) / 1000;
    return [
      `+${offset.toFixed(1)} s`, `${e.provider}/${e.model}`, e.feature ?? '–', formatCount(e.input_tokens), formatCount(e.output_tokens),
      e.cost === null ? c.yellow('unpriced') : formatMoney(e.cost), formatMoney(running / 1e9), e.status === 'error' ? c.red('error') : 'ok',
    ];
  });
  const lines = [
    c.bold(c.cyan(`LLMLab session ${s.session_id}`)),
    `${formatCount(s.calls)} calls, ${cost(s.cost, s.unpriced_calls)}, ${formatLocalTime(s.first_at, tz)} to ${formatLocalTime(s.last_at, tz)}`,
    '',
    renderTable(rows, { head: ['At', 'Model', 'Feature', 'In', 'Out', 'Cost', 'Running', 'Status'], align: ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'left'] }),
  ];
  if (s.truncated) lines.push('', c.dim(`The first ${formatCount(s.events.length)} of its ${formatCount(s.calls)} calls; the totals count them all.`));
  if (s.raw_events_since) lines.push(c.yellow(`! The project's retention removed raw events before ${s.raw_events_since}: the session's earlier calls are gone.`));
  return lines.join('\n');
}
