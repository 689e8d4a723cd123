import type { BudgetPer, BudgetScope } from '../../api/types';

/** What a template gives its own budget to, as "each …" reads it. */
export const PER_LABELS: Record<BudgetPer, string> = { end_user: 'end user', api_key: 'API key', feature: 'feature' };

/** A template's choices, in the order the form offers them. */
export const PERS: BudgetPer[] = ['end_user', 'api_key', 'feature'];

/** The most tag pairs a scope takes (the server refuses more). */
export const MAX_TAGS = 10;

export interface TagRow {
  key: string;
  value: string;
}

/**
 * Tag rows as a scope's `tags`: blank rows are dropped; a half-filled row or a key given twice is
 * an error sentence.
 * @example tagsOf([{ key: ' team ', value: 'search' }, { key: '', value: '' }]) // { tags: { team: 'search' } }
 */
export function tagsOf(rows: TagRow[]): { tags?: Record<string, string>; error?: string } {
  const tags: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    const value = row.value.trim();
    if (!key && !value) continue;
    if (!key || !value) return { error: 'Each tag needs a key and a value, such as team = search.' };
    if (Object.hasOwn(tags, key)) return { error: `Tag “${key}” is given twice: a call carries one value per tag.` };
    tags[key] = value;
  }
  return Object.keys(tags).length ? { tags } : {};
}

/**
 * What a budget counts, in words; `keyName` names an API key id when the key list is known.
 * @example describeScope({ model: 'gpt-4o', tags: { team: 'search' } }) // "model gpt-4o · tag team=search"
 */
export function describeScope(scope: BudgetScope | null, keyName: (id: string) => string = (id) => id): string {
  const s = scope ?? {};
  const parts = [
    s.provider && `provider ${s.provider}`,
    s.model && `model ${s.model}`,
    s.feature && `feature ${s.feature}`,
    s.end_user && `end user ${s.end_user}`,
    s.api_key_id && `API key ${keyName(s.api_key_id)}`,
    ...Object.entries(s.tags ?? {}).map(([k, v]) => `tag ${k}=${v}`),
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'all spend';
}
