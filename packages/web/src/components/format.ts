/** Display formatting only: the numbers come from the API and are never summed here as money. */

export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || Number.isNaN(usd)) return '—';
  const abs = Math.abs(usd);
  // LLM calls cost fractions of a cent: show as many places as the amount needs (up to 6 below
  // $1, 4 below $100), never fewer than 2, so $0.50 stays $0.50 and $0.001375 stays visible.
  if (abs > 0 && abs < 0.0000005) return usd < 0 ? '-<$0.000001' : '<$0.000001';
  const most = abs >= 100 ? 2 : abs >= 1 ? 4 : 6;
  let places = 2;
  while (places < most && Math.abs(Number(abs.toFixed(places)) - Number(abs.toFixed(most))) > 0) places++;
  const sign = usd < 0 ? '-' : '';
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places })}`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString('en-US');
}

/** "1 call", "2 calls". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function formatPercent(p: number, places = 1): string {
  return `${p.toLocaleString('en-US', { maximumFractionDigits: places })}%`;
}

/** Change between two periods; null when there is no base to compare with. */
export function percentChange(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return ((current - previous) / previous) * 100;
}

export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = new Date(typeof value === 'number' ? value : value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** "27 Nov 10:00" for this year's times (tables on a phone), with the year otherwise. */
export function formatShortTime(ms: number): string {
  const d = new Date(ms);
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return d.toLocaleString('en-GB', { ...(sameYear ? {} : { year: 'numeric' }), month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatDate(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: '2-digit' });
}
