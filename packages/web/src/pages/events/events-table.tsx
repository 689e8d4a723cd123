import type { LlmEvent } from '../../api/types';
import { formatCount, formatShortTime, formatTime, formatUsd } from '../../components/format';

export function EventsTable({ events, onOpen }: { events: LlmEvent[]; onOpen: (e: LlmEvent) => void }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="events-table">
        <caption className="sr-only">LLM calls, newest first. Open a row for every field.</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Model</th>
            <th scope="col" className="hide-sm">
              Feature
            </th>
            <th scope="col" className="hide-sm">
              End user
            </th>
            <th scope="col" className="num hide-sm">
              Tokens in / out
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col" className="num hide-sm">
              Latency
            </th>
            <th scope="col" className="hide-sm">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.event_id} data-event-id={e.event_id}>
              <td>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onOpen(e)}
                  aria-label={`Details of the call at ${formatTime(e.ts)}`}
                >
                  {formatShortTime(e.ts)}
                </button>
              </td>
              <td>
                <span className="muted hide-sm">{e.provider}/</span>
                {e.model}
              </td>
              <td className="hide-sm">{e.feature ?? <span className="muted">—</span>}</td>
              <td className="hide-sm">{e.user_id ?? <span className="muted">—</span>}</td>
              <td className="num hide-sm">
                {formatCount(e.input_tokens)} / {formatCount(e.output_tokens)}
              </td>
              <td className="num">{e.priced ? formatUsd(e.cost) : <span className="badge badge-warn">unpriced</span>}</td>
              <td className="num hide-sm">{e.latency_ms === null ? '—' : `${formatCount(e.latency_ms)} ms`}</td>
              <td className="hide-sm">
                <span className={`badge ${e.status && e.status !== 'success' ? 'badge-error' : ''}`}>{e.status ?? '—'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
