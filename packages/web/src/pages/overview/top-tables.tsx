import type { Breakdown } from '../../api/types';
import { formatCount, formatPercent, formatUsd } from '../../components/format';

const TOP = 10;

/** The API gives each row's share of spend as a fraction. */
function shareOf(row: Breakdown['rows'][number]): number {
  return row.share * 100;
}

export function TopModels({ data }: { data: Breakdown }) {
  const rows = data.rows.slice(0, TOP);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="top-models">
        <caption className="sr-only">Top models by spend</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Provider</th>
            <th scope="col" className="num">
              Spend
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Calls
            </th>
            <th scope="col" className="num hide-sm">
              Tokens in / out
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.model ?? r.key}</th>
              <td>{r.provider ?? '—'}</td>
              <td className="num">
                {formatUsd(r.spend)}
                {r.unpriced_calls > 0 && <span className="badge badge-warn">{r.unpriced_calls} unpriced</span>}
              </td>
              <td className="num">{formatPercent(shareOf(r))}</td>
              <td className="num">{formatCount(r.calls)}</td>
              <td className="num hide-sm">
                {formatCount(r.input_tokens)} / {formatCount(r.output_tokens)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TopFeatures({ data }: { data: Breakdown }) {
  const rows = data.rows.slice(0, TOP);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="top-features">
        <caption className="sr-only">Top features by spend</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
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
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.key === '(none)' ? <span className="muted">(no feature tag)</span> : r.key}</th>
              <td className="num">{formatUsd(r.spend)}</td>
              <td className="num">{formatPercent(shareOf(r))}</td>
              <td className="num">{formatCount(r.calls)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
