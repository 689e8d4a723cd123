import type { ApiKey } from '../../api/types';
import { formatCount, formatDate, formatUsd } from '../../components/format';

/**
 * A key's own rate limits, joined.
 * @example describeRates({ requests_per_minute: 10, tokens_per_minute: null, cost_per_hour: 2 }) // "10 requests/min, $2.00/hour"
 */
export function describeRates(r: { requests_per_minute: number | null; tokens_per_minute: number | null; cost_per_hour: number | null }): string {
  const parts: string[] = [];
  if (r.requests_per_minute !== null) parts.push(`${formatCount(r.requests_per_minute)} requests/min`);
  if (r.tokens_per_minute !== null) parts.push(`${formatCount(r.tokens_per_minute)} tokens/min`);
  if (r.cost_per_hour !== null) parts.push(`${formatUsd(r.cost_per_hour)}/hour`);
  return parts.join(', ');
}

/** What a key may call, until when, how fast and how much: one line each, or "none". */
export function KeyLimits({ apiKey: k }: { apiKey: ApiKey }) {
  const lines: [string, string][] = [];
  if (k.allowed_models) lines.push(['Models', k.allowed_models.join(', ')]);
  if (k.allowed_providers) lines.push(['Providers', k.allowed_providers.join(', ')]);
  if (k.expires_at) lines.push(['Expires', formatDate(k.expires_at)]);
  if (k.rate_limit) lines.push(['Rate', describeRates(k.rate_limit)]);
  if (k.budget) {
    const { spent, amount, period, hard_limit } = k.budget;
    lines.push(['Budget', `${formatUsd(spent)} of ${formatUsd(amount)} ${period}${hard_limit ? '' : ' (soft)'}`]);
  }
  if (lines.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="key-limits small" data-testid="key-limits">
      {lines.map(([label, value]) => (
        <li key={label} data-limit={label.toLowerCase()}>
          <span className="muted">{label}:</span> {value}
        </li>
      ))}
    </ul>
  );
}
