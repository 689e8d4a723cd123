/** A labelled select of providers, each shown by its display name. */
export function ProviderSelect<P extends string>({ providers, names, value, onChange }: { providers: readonly P[]; names: Record<P, string>; value: P; onChange: (p: P) => void }) {
  return (
    <label className="field">
      <span>Provider</span>
      <select value={value} onChange={(e) => onChange(e.target.value as P)}>
        {providers.map((p) => (
          <option key={p} value={p}>
            {names[p]}
          </option>
        ))}
      </select>
    </label>
  );
}
