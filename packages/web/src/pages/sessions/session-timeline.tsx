import { useQuery } from '@tanstack/react-query';
import type { SessionCallsAnswer } from '@llmlab/core';
import { useScope } from '../../api/session';
import { formatCount, formatTime, formatUsd, plural } from '../../components/format';
import { ErrorState, Loading } from '../../components/states';
import { Link } from '../../router/link';

/** "+1m 05s" from the session's first call. */
function offset(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `+${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `+${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `+${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** One session's calls in order: when each ran, its model, tokens and cost, and the running total. */
export function SessionTimeline({ sessionId, backHref }: { sessionId: string; backHref: string }) {
  const { api, projectId } = useScope();
  const session = useQuery({
    queryKey: ['session', projectId, sessionId],
    queryFn: ({ signal }) => api.get<SessionCallsAnswer>(`/api/sessions/${encodeURIComponent(sessionId)}`, undefined, signal),
  });

  return (
    <section className="page" aria-labelledby="session-title">
      <p>
        <Link href={backHref}>← All sessions</Link>
      </p>
      <h1 id="session-title">Session {sessionId}</h1>
      {session.isPending ? (
        <Loading label="Loading the session…" />
      ) : session.error ? (
        <ErrorState error={session.error} onRetry={() => session.refetch()} />
      ) : (
        <Timeline data={session.data} />
      )}
    </section>
  );
}

function Timeline({ data }: { data: SessionCallsAnswer }) {
  const start = Date.parse(data.first_at);
  const ran = Date.parse(data.last_at) - start;
  // Running total in nanodollars (integers), shown in USD.
  let running = 0;
  const rows = data.events.map((e) => {
    running += e.cost_nanos ?? 0;
    return { e, running };
  });
  const max = Math.max(1, ...data.events.map((e) => e.cost_nanos ?? 0));
  return (
    <>
      <dl className="stats" data-testid="session-totals">
        <div>
          <dt>Cost</dt>
          <dd data-testid="session-total-cost">{formatUsd(data.cost)}</dd>
        </div>
        <div>
          <dt>Calls</dt>
          <dd data-testid="session-total-calls">{formatCount(data.calls)}</dd>
        </div>
        <div>
          <dt>Ran</dt>
          <dd>
            {formatTime(data.first_at)} · {offset(ran).slice(1)}
          </dd>
        </div>
      </dl>
      {data.unpriced_calls > 0 && (
        <p className="notice notice-warn" role="status">
          {plural(data.unpriced_calls, 'call')} could not be priced: the cost leaves {data.unpriced_calls === 1 ? 'it' : 'them'} out.
        </p>
      )}
      {data.raw_events_since && (
        <p className="notice notice-info" role="status">
          The project's retention removed raw events before {formatTime(data.raw_events_since)}: calls of this session before then are neither listed nor counted.
        </p>
      )}
      {data.truncated && (
        <p className="notice notice-info" role="status" data-testid="session-truncated">
          The first {formatCount(data.events.length)} of {formatCount(data.calls)} calls are listed; the totals count them all.
        </p>
      )}
      <div className="table-wrap">
        <table className="table" data-testid="session-timeline">
          <caption className="sr-only">The session's calls, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Model</th>
              <th scope="col">Feature</th>
              <th scope="col" className="num">Tokens in / out</th>
              <th scope="col" className="num">Latency</th>
              <th scope="col" className="num">Cost</th>
              <th scope="col" className="num">Running total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ e, running: total }) => (
              <tr key={e.event_id} data-event={e.event_id}>
                <td title={e.timestamp}>{offset(e.ts - start)}</td>
                <th scope="row">
                  {e.provider}/{e.model}
                  {e.status === 'error' && <span className="badge badge-warn">{e.error_type ?? 'error'}</span>}
                </th>
                <td>{e.feature ?? '—'}</td>
                <td className="num">
                  {formatCount(e.input_tokens)} / {formatCount(e.output_tokens)}
                </td>
                <td className="num">{e.latency_ms === null ? '—' : `${formatCount(e.latency_ms)} ms`}</td>
                <td className="num" data-testid="call-cost">
                  <span className="bar" aria-hidden="true" style={{ width: `${Math.round(((e.cost_nanos ?? 0) / max) * 60)}px` }} />
                  {e.cost === null ? 'unpriced' : formatUsd(e.cost)}
                </td>
                <td className="num" data-testid="call-running">{formatUsd(total / 1e9)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
