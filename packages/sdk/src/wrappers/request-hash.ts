import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, undefined and functions left out, like JSON.stringify
 * otherwise. Two requests that differ only in key order get the same text.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (canonicalJson(value[i]) ?? 'null');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = canonicalJson(record[key]);
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${v}`;
  }
  return `${out}}`;
}

/** SHA-256, hex, of a canonical body. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * SHA-256 (hex) of a request body in canonical JSON, so two identical requests hash alike
 * whatever their key order. Only the hash leaves the process, never the prompt.
 * @example hashRequest({ model: 'gpt-4o', messages }) === hashRequest({ messages, model: 'gpt-4o' }) // true
 */
export function hashRequest(body: unknown): string {
  return sha256Hex(canonicalJson(body) ?? 'null');
}
