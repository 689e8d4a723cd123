import type { Breakdown } from '../../api/types';
import { formatCount, formatPercent, formatUsd } from '../../components/format';

/** The chart's series key of a breakdown row by API key: the timeseries names the session's calls "(none)". */
export function keyNames(data: Breakdown): Map<string, string> {
  return new Map(data.rows.map((r) => [r.key ?? '(none)', r.name ?? r.key ?? '(none)']));
}

/** Spend per API key: its name and prefix, who created it, and the session's calls as their own row. */
export function SpendByKey({ data }: { data: Breakdown }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="spend-by-key">
        <caption className="sr-only">Spend by API key</caption>
        <thead>
          <tr>
            <th scope="col">API key</th>
            <th scope="col">Created by</th>
            <th scope="col" className="num">
              Spend
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Calls
            </th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.key ?? '(none)'} data-key-name={r.name}>
              <th scope="row">
                {r.key === null ? <span className="muted">{r.name}</span> : r.name}
                {r.prefix && <code className="muted"> {r.prefix}…</code>}
              </th>
              <td data-testid="key-creator">{r.created_by?.email ?? <span className="muted">—</span>}</td>
              <td className="num">
                <span data-testid="key-spend">{formatUsd(r.spend)}</span>
                {r.unpriced_calls > 0 && <span className="badge badge-warn">{r.unpriced_calls} unpriced</span>}
              </td>
              <td className="num">{formatPercent(r.share * 100)}</td>
              <td className="num">{formatCount(r.calls)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
