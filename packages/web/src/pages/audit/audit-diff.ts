/**
 * The before/after of an audit entry as a short list of changed fields, so a row shows what
 * changed ("role: viewer → admin") rather than two JSON documents to compare by eye.
 */

export interface FieldChange {
  /** The field's name; '' when the target is a single value rather than an object. */
  field: string;
  /** Absent: the field did not exist before (created) or after (deleted). */
  before?: string;
  after?: string;
}

const MAX_VALUE = 80;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value in a few words: strings bare, the rest as JSON, long ones cut. */
export function showValue(v: unknown): string {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * The fields that differ between `before` and `after` (null or undefined: the target did not exist).
 * @example diffFields({ role: 'viewer' }, { role: 'admin' }) // [{ field: 'role', before: 'viewer', after: 'admin' }]
 */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const was = before ?? undefined;
  const is = after ?? undefined;
  if (was === undefined && is === undefined) return [];
  if ((was !== undefined && !isRecord(was)) || (is !== undefined && !isRecord(is))) {
    if (JSON.stringify(was) === JSON.stringify(is)) return [];
    return [{ field: '', ...(was !== undefined ? { before: showValue(was) } : {}), ...(is !== undefined ? { after: showValue(is) } : {}) }];
  }
  const a = was ?? {};
  const b = is ?? {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const inA = field in a && a[field] !== undefined;
    const inB = field in b && b[field] !== undefined;
    if (inA && inB && JSON.stringify(a[field]) === JSON.stringify(b[field])) continue;
    changes.push({ field, ...(inA ? { before: showValue(a[field]) } : {}), ...(inB ? { after: showValue(b[field]) } : {}) });
  }
  return changes;
}
