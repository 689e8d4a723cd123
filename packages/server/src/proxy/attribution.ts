import type { RequestHeaders } from './headers.js';

/** Who and what a proxied call is for, from the x-llmlab-* headers. */
export interface Attribution {
  feature?: string;
  user_id?: string;
  environment?: string;
  session_id?: string;
  tags?: Record<string, string>;
}

export class AttributionError extends Error {}

function label(headers: RequestHeaders, name: string, max: number): string | undefined {
  const value = headers.get(name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > max) throw new AttributionError(`header ${name} is longer than ${max} characters`);
  return value;
}

/**
 * `x-llmlab-tags` is a JSON object (`{"team":"search"}`) or `k=v,k=v`. Values are kept as strings.
 * @example parseTags('team=search, tier=pro') // { team: 'search', tier: 'pro' }
 */
export function parseTags(raw: string): Record<string, string> {
  const text = raw.trim();
  let entries: [string, unknown][];
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AttributionError('header x-llmlab-tags is not valid JSON; send {"key":"value"} or key=value,key=value');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AttributionError('header x-llmlab-tags must be a JSON object');
    entries = Object.entries(parsed);
  } else {
    entries = text.split(',').filter((p) => p.trim() !== '').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new AttributionError(`header x-llmlab-tags: "${pair.trim()}" is not key=value`);
      return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
    });
  }
  if (entries.length > 32) throw new AttributionError('header x-llmlab-tags: at most 32 tags');
  const tags: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (k === '' || k.length > 64) throw new AttributionError('header x-llmlab-tags: tag names must be 1-64 characters');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new AttributionError(`header x-llmlab-tags: tag "${k}" must be a string, number or boolean`);
    const value = String(v);
    if (value.length > 256) throw new AttributionError(`header x-llmlab-tags: tag "${k}" is longer than 256 characters`);
    tags[k] = value;
  }
  return tags;
}

/** Reads x-llmlab-feature, -user, -environment, -session and -tags; throws AttributionError naming the bad header. */
export function parseAttribution(headers: RequestHeaders): Attribution {
  const tags = headers.get('x-llmlab-tags');
  const parsedTags = tags ? parseTags(tags) : undefined;
  return {
    feature: label(headers, 'x-llmlab-feature', 128),
    user_id: label(headers, 'x-llmlab-user', 256),
    environment: label(headers, 'x-llmlab-environment', 64),
    session_id: label(headers, 'x-llmlab-session', 200),
    tags: parsedTags && Object.keys(parsedTags).length ? parsedTags : undefined,
  };
}
