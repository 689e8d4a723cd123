import { formatUsd } from '../../components/format';

type Row = Record<string, unknown>;

function isPrimitive(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** A list of like records (alternatives, models) reads best as a table. */
function isTable(value: unknown[]): value is Row[] {
  return (
    value.length > 0 &&
    value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v as Row).every(isPrimitive))
  );
}

function label(key: string): string {
  return key.replaceAll('_', ' ');
}

function Scalar({ name, value }: { name?: string; value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'number') {
    if (name?.endsWith('_usd')) return <span>{formatUsd(value)}</span>;
    return <span>{value.toLocaleString('en-US', { maximumFractionDigits: 6 })}</span>;
  }
  return <span>{String(value)}</span>;
}

/** Evidence is free-form JSON from the server: shown as fields, lists and tables a person can read. */
export function Evidence({ value, name }: { value: unknown; name?: string }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (isTable(value)) {
      const columns = [...new Set(value.flatMap((r) => Object.keys(r)))];
      return (
        <div className="table-wrap">
          <table className="table evidence-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {label(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {value.map((row) => (
                <tr key={columns.map((c) => String(row[c])).join('|')}>
                  {columns.map((c) => (
                    <td key={c}>
                      <Scalar name={c} value={row[c]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    if (value.every(isPrimitive)) return <span>{value.map(String).join(', ')}</span>;
    return (
      <ul className="evidence">
        {value.map((v) => (
          <li key={JSON.stringify(v)}>
            <Evidence value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (value !== null && typeof value === 'object') {
    return (
      <dl className="evidence fields">
        {Object.entries(value as Row).map(([k, v]) => (
          <div key={k} className="evidence-row">
            <dt>{label(k)}</dt>
            <dd>
              <Evidence value={v} name={k} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <Scalar name={name} value={value} />;
}
