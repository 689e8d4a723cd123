/**
 * What an audit entry changed, in one short line: the fields that differ as "role member → admin",
 * or, for a target created or deleted, the fields it had ("email=ana@example.com role=member").
 * Ids are left out of the latter: the target column names the thing already.
 */
export function summarizeChange(before: unknown, after: unknown, width = 60): string {
  return truncate(describe(before, after), width);
}

function describe(before: unknown, after: unknown): string {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      .map((key) => `${key} ${show(before[key])} → ${show(after[key])}`)
      .join(', ');
  }
  if (before == null && isRecord(after)) return listFields(after);
  if (isRecord(before) && after == null) return listFields(before);
  if (before == null && after == null) return '';
  return `${show(before)} → ${show(after)}`;
}

function listFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([key, value]) => value != null && key !== 'id' && !key.endsWith('_id'))
    .map(([key, value]) => `${key}=${show(value)}`)
    .join(' ');
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return value.join(',');
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
