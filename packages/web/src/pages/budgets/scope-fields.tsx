import { useQuery } from '@tanstack/react-query';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { ApiKey, Budget, BudgetPer, BudgetScope } from '../../api/types';
import { MAX_TAGS, PER_LABELS, PERS, type TagRow, tagsOf } from './budget-scope';

/** The scope and template choice of the budget form, as typed. */
export interface ScopeDraft {
  provider: string;
  model: string;
  feature: string;
  endUser: string;
  apiKeyId: string;
  tags: TagRow[];
  per: BudgetPer | '';
}

export function draftOf(budget?: Budget): ScopeDraft {
  const s = budget?.scope;
  return {
    provider: s?.provider ?? '',
    model: s?.model ?? '',
    feature: s?.feature ?? '',
    endUser: s?.end_user ?? '',
    apiKeyId: s?.api_key_id ?? '',
    tags: Object.entries(s?.tags ?? {}).map(([key, value]) => ({ key, value })),
    per: budget?.per ?? '',
  };
}

/** The draft as the API takes it: the scope (undefined when it counts everything), or an error sentence. */
export function scopeOfDraft(draft: ScopeDraft): { scope?: BudgetScope; error?: string } {
  const { tags, error } = tagsOf(draft.tags);
  if (error) return { error };
  const fields: [keyof BudgetScope, string][] = [
    ['provider', draft.provider],
    ['model', draft.model],
    ['feature', draft.feature],
    ['end_user', draft.endUser],
    ['api_key_id', draft.apiKeyId],
  ];
  const scope: BudgetScope = Object.fromEntries(fields.map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
  if (tags) scope.tags = tags;
  return Object.keys(scope).length ? { scope } : {};
}

interface Props {
  draft: ScopeDraft;
  onChange: (draft: ScopeDraft) => void;
}

export function ScopeFields({ draft, onChange }: Props) {
  const set = (change: Partial<ScopeDraft>) => onChange({ ...draft, ...change });
  const text = (field: 'provider' | 'model' | 'feature' | 'endUser', label: string, placeholder: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={draft[field]} onChange={(e) => set({ [field]: e.target.value })} placeholder={placeholder} />
    </label>
  );
  return (
    <>
      <fieldset className="field-set">
        <legend>Scope (optional: leave empty to count all spend)</legend>
        {text('provider', 'Provider', 'openai')}
        {text('model', 'Model', 'gpt-4o')}
        {text('feature', 'Feature', 'summarization')}
        {text('endUser', 'End user', 'customer-42')}
        <KeyField value={draft.apiKeyId} onChange={(apiKeyId) => set({ apiKeyId })} />
        <TagFields rows={draft.tags} onChange={(tags) => set({ tags })} />
      </fieldset>
      <fieldset className="field-set field-set-inline">
        <legend>One budget for …</legend>
        <label className="field-check">
          <input type="radio" name="per" checked={draft.per === ''} onChange={() => set({ per: '' })} />
          <span>all of it together</span>
        </label>
        {PERS.map((per) => (
          <label key={per} className="field-check">
            <input type="radio" name="per" checked={draft.per === per} onChange={() => set({ per })} />
            <span>each {PER_LABELS[per]}</span>
          </label>
        ))}
        {draft.per && (
          <p className="form-hint muted small">
            Every {PER_LABELS[draft.per]} gets the whole amount for itself, such as $5 a month for each customer.
          </p>
        )}
      </fieldset>
    </>
  );
}

/** The project's keys to pick from when the role may list them; a key id to type otherwise. */
function KeyField({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const { api, projectId } = useScope();
  const canList = useCan('member', 'list API keys');
  const keys = useQuery({
    queryKey: ['keys', projectId],
    queryFn: ({ signal }) => api.get<{ keys: ApiKey[] }>('/api/keys', undefined, signal),
    enabled: canList.allowed,
  });
  if (!canList.allowed || keys.error) {
    return (
      <label className="field">
        <span>API key id</span>
        <input value={value} onChange={(e) => onChange(e.target.value)} placeholder="key id" />
      </label>
    );
  }
  const listed = (keys.data?.keys ?? []).filter((k) => !k.revoked_at || k.id === value);
  return (
    <label className="field">
      <span>API key</span>
      {/* Named outright: a wrapping label would add the chosen option's text to its name. */}
      <select aria-label="API key" value={value} onChange={(e) => onChange(e.target.value)} disabled={keys.isPending}>
        <option value="">{keys.isPending ? 'Loading keys…' : 'Any key'}</option>
        {listed.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name} ({k.prefix}…){k.revoked_at ? ', revoked' : ''}
          </option>
        ))}
        {value && !keys.isPending && !listed.some((k) => k.id === value) && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

function TagFields({ rows, onChange }: { rows: TagRow[]; onChange: (rows: TagRow[]) => void }) {
  const update = (i: number, change: Partial<TagRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <div className="tag-fields">
      <span className="tag-fields-title">Tags: only calls carrying every one</span>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place; removing one re-renders the rest
        <div className="tag-row" key={i}>
          <input aria-label={`Tag ${i + 1} key`} value={row.key} onChange={(e) => update(i, { key: e.target.value })} placeholder="team" />
          <span aria-hidden="true">=</span>
          <input aria-label={`Tag ${i + 1} value`} value={row.value} onChange={(e) => update(i, { value: e.target.value })} placeholder="search" />
          <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove tag ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="btn btn-small" onClick={() => onChange([...rows, { key: '', value: '' }])} disabled={rows.length >= MAX_TAGS}>
          Add tag
        </button>
      </div>
    </div>
  );
}
