import type { Budget } from '../wire.js';

type Per = NonNullable<Budget['per']>;

/** What a template budget gives its own budget to, as a sentence names it. */
export const PER_LABEL: Record<Per, string> = { end_user: 'end user', api_key: 'API key', feature: 'feature' };

/**
 * What a budget counts, in words.
 * @example describeScope({ model: 'gpt-4o', tags: { team: 'search' } }, 'end_user') // "each end user within model gpt-4o, tag team=search"
 */
export function describeScope(scope: Budget['scope'], per: Budget['per'] = null): string {
  const s = scope ?? {};
  const parts = [
    s.provider && `provider ${s.provider}`,
    s.model && `model ${s.model}`,
    s.feature && `feature ${s.feature}`,
    s.end_user && `end user ${s.end_user}`,
    s.api_key_id && `API key ${s.api_key_id}`,
    ...Object.entries(s.tags ?? {}).map(([k, v]) => `tag ${k}=${v}`),
  ].filter(Boolean);
  const counted = parts.join(', ');
  if (per) return counted ? `each ${PER_LABEL[per]} within ${counted}` : `each ${PER_LABEL[per]}`;
  return counted || 'all spend';
}

function sameTags(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...keys].every((k) => a?.[k] === b?.[k]);
}

/** Whether a budget counts exactly this scope, split the same way: then setting one updates it. */
export function sameScope(budget: Pick<Budget, 'scope' | 'per'>, scope: Budget['scope'], per: Budget['per']): boolean {
  const keys = ['provider', 'model', 'feature', 'end_user', 'api_key_id'] as const;
  return (
    (budget.per ?? null) === (per ?? null) &&
    keys.every((k) => (budget.scope?.[k] ?? undefined) === (scope?.[k] ?? undefined)) &&
    sameTags(budget.scope?.tags, scope?.tags)
  );
}
