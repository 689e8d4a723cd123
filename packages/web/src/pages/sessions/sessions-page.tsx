import { useQuery } from '@tanstack/react-query';
import type { SessionListAnswer, SessionSort } from '@llmlab/core';
import { useScope } from '../../api/session';
import { formatCount, formatShortTime, formatTime, formatUsd, plural } from '../../components/format';
import { RetentionNotice } from '../../components/retention-notice';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { readView, type View } from '../../filters/view';
import { Link } from '../../router/link';
import { hrefWithParams, hrefWithShared, useLocation } from '../../router/location';
import { RangeLinks } from './range-links';
import { SessionTimeline } from './session-timeline';

const SORTS: { value: SessionSort; label: string }[] = [
  { value: 'cost', label: 'Most expensive' },
  { value: 'last_at', label: 'Most recent' },
];

/** Sessions (conversations, agent runs) of the range; `?session=` shows one session's timeline. */
export default function SessionsPage() {
  const loc = useLocation();
  const view = readView(loc.params);
  const session = loc.params.get('session');
  if (session) return <SessionTimeline sessionId={session} backHref={hrefWithParams(loc, { session: null })} />;
  return (
    <section className="page" aria-labelledby="sessions-title">
      <div className="page-head">
        <h1 id="sessions-title">Sessions</h1>
        <RangeLinks view={view} />
      </div>
      <p className="muted">
        Each conversation or agent run: its calls, what it cost and how long it ran. Calls join a session by <code>session_id</code> (API),{' '}
        <code>x-llmlab-session</code> (proxy), <code>withTags({'{ sessionId }'})</code> (SDK) or their OpenTelemetry conversation or trace.
      </p>
      <SessionList view={view} />
    </section>
  );
}

function SessionList({ view }: { view: View }) {
  const loc = useLocation();
  const { api, projectId } = useScope();
  const sort: SessionSort = loc.params.get('sort') === 'last_at' ? 'last_at' : 'cost';
  const userId = view.filters.user_id;
  const query = { from: new Date(view.range.from).toISOString(), to: new Date(view.range.to).toISOString(), tz: view.tz, sort, limit: 100, user_id: userId };
  const list = useQuery({
    queryKey: ['sessions', projectId, query],
    queryFn: ({ signal }) => api.get<SessionListAnswer>('/api/sessions', query, signal),
  });

  return (
    <section className="panel" aria-label="Sessions">
      <div className="panel-head">
        <h2>{userId ? `Sessions of ${userId}` : 'Sessions'} · {view.range.label}</h2>
        <nav className="segmented" aria-label="Sort">
          {SORTS.map((s) => (
            <Link key={s.value} className="seg" href={hrefWithParams(loc, { sort: s.value === 'cost' ? null : s.value })} aria-current={sort === s.value ? 'true' : undefined}>
              {s.label}
            </Link>
          ))}
        </nav>
      </div>
      {list.isPending ? (
        <Loading label="Loading sessions…" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <>
          <RetentionNotice since={list.data.raw_events_since} subject="Calls" />
          {list.data.events_read_since && (
            <p className="notice notice-warn" role="status" data-testid="sessions-partial">
              This range holds more calls than a list reads: sessions are summed from the calls since {formatTime(list.data.events_read_since)} only. A session that began
              earlier shows only its later calls here; open it to see them all.
            </p>
          )}
          {list.data.sessions.length === 0 ? (
            <EmptyState title="No sessions in this range">
              No call in this range names a session. Send <code>session_id</code> with each call of a conversation or agent run to see what each one costs.{' '}
              <Link href={hrefWithShared('/quickstart', loc.params)}>Quick start</Link>
            </EmptyState>
          ) : (
            <SessionTable data={list.data} />
          )}
        </>
      )}
    </section>
  );
}

function SessionTable({ data }: { data: SessionListAnswer }) {
  const loc = useLocation();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="sessions-table">
        <caption className="sr-only">Sessions</caption>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col" className="num">Cost</th>
            <th scope="col" className="num">Calls</th>
            <th scope="col">Started</th>
            <th scope="col">Last call</th>
            <th scope="col">Models</th>
            <th scope="col">End user</th>
          </tr>
        </thead>
        <tbody>
          {data.sessions.map((s) => (
            <tr key={s.session_id} data-session={s.session_id}>
              <th scope="row">
                <Link href={hrefWithParams(loc, { session: s.session_id })}>{s.session_id}</Link>
              </th>
              <td className="num" data-testid="session-cost">
                {formatUsd(s.cost)}
                {s.unpriced_calls > 0 && <span className="badge badge-warn">{s.unpriced_calls} unpriced</span>}
              </td>
              <td className="num" data-testid="session-calls">{formatCount(s.calls)}</td>
              <td>{formatShortTime(Date.parse(s.first_at))}</td>
              <td>{formatShortTime(Date.parse(s.last_at))}</td>
              <td>{s.models.join(', ')}</td>
              <td data-testid="session-user">{s.end_user ?? (s.end_users > 1 ? plural(s.end_users, 'end user') : '—')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.sessions_read > data.sessions.length && (
        <p className="muted">
          The {formatCount(data.sessions.length)} {data.sort === 'cost' ? 'most expensive' : 'most recent'} of {plural(data.sessions_read, 'session')}.
        </p>
      )}
    </div>
  );
}
