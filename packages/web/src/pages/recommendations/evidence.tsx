/** Evidence is free-form JSON from the server: shown as nested lists a person can read. */
export function Evidence({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    return (
      <ul className="evidence">
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: order is stable for one response
          <li key={i}>
            <Evidence value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') {
    return (
      <dl className="evidence fields">
        {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
          <div key={k} className="evidence-row">
            <dt>{k.replaceAll('_', ' ')}</dt>
            <dd>
              <Evidence value={v} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  if (typeof value === 'number') return <span>{value.toLocaleString('en-US', { maximumFractionDigits: 6 })}</span>;
  return <span>{String(value)}</span>;
}
