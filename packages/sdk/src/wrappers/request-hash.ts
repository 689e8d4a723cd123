import { createHash } from 'node:crypto';

function canonical(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return canonical(withJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const v = canonical(record[key]);
    if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * SHA-256 (hex) of a request body in canonical JSON (keys sorted, undefined left out), so two
 * identical requests hash alike whatever their key order. Only the hash leaves the process,
 * never the prompt.
 * @example hashRequest({ model: 'gpt-4o', messages }) === hashRequest({ messages, model: 'gpt-4o' }) // true
 */
export function hashRequest(body: unknown): string {
  return createHash('sha256').update(canonical(body) ?? 'null').digest('hex');
}

/** `hashRequest` of a body kept as its JSON text. */
export function hashRequestJson(json: string): string {
  return hashRequest(JSON.parse(json));
}
