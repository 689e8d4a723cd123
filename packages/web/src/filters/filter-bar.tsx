import { useQueries } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useScope } from '../api/session';
import type { Breakdown, GroupBy } from '../api/types';
import { hrefWithParams, navigate, useLocation } from '../router/location';
import { FILTER_LABELS, type FilterKey, hasFilters, PRESET_DAYS, toDateInput, type View } from './view';

/**
 * Filters offered as a list of what the project used. End users are typed instead: there can
 * be many thousands, and listing them would mean scanning raw events rather than rollups.
 */
const LISTED = ['provider', 'model', 'feature'] as const;
type ListedKey = (typeof LISTED)[number];
const GROUP_OF: Record<ListedKey, GroupBy> = { provider: 'provider', model: 'model', feature: 'feature' };

/** Choices for each listed filter: what the project actually used in the range, unfiltered. */
function useFilterOptions(view: View) {
  const { api, projectId } = useScope();
  const from = new Date(view.range.from).toISOString();
  const to = new Date(view.range.to).toISOString();
  return useQueries({
    queries: LISTED.map((key) => ({
      queryKey: ['breakdown', projectId, GROUP_OF[key], from, to, view.tz, {}],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<Breakdown>('/api/costs/breakdown', { from, to, tz: view.tz, group_by: GROUP_OF[key] }, signal),
    })),
  });
}

function optionValue(key: ListedKey, row: Breakdown['rows'][number]): string {
  // Only rows by API key have a null key; these groups always have one.
  const rowKey = row.key ?? '';
  // Model rows are keyed "provider/model"; the filter takes the bare model name.
  if (key === 'model') return row.model ?? (rowKey.includes('/') ? rowKey.slice(rowKey.indexOf('/') + 1) : rowKey);
  return rowKey;
}

export function FilterBar({ view }: { view: View }) {
  const loc = useLocation();
  const options = useFilterOptions(view);
  const [customOpen, setCustomOpen] = useState(view.range.preset === null);
  const [from, setFrom] = useState(toDateInput(view.range.from, view.tz));
  const [to, setTo] = useState(toDateInput(view.range.to - 1, view.tz));

  const choosePreset = (days: number) => {
    setCustomOpen(false);
    navigate(hrefWithParams(loc, { days: String(days), from: null, to: null }));
  };
  const applyCustom = (e: FormEvent) => {
    e.preventDefault();
    if (from && to && from <= to) navigate(hrefWithParams(loc, { from, to, days: null }));
  };
  const setFilter = (key: FilterKey, value: string) => navigate(hrefWithParams(loc, { [key]: value }));
  const clearFilters = () => navigate(hrefWithParams(loc, { provider: null, model: null, feature: null, user_id: null }));

  return (
    <section className="filter-bar" aria-label="Date range and filters">
      <fieldset className="range-picker">
        <legend className="sr-only">Date range</legend>
        {PRESET_DAYS.map((d) => (
          <button
            key={d}
            type="button"
            className="seg"
            aria-pressed={view.range.preset === d && !customOpen}
            onClick={() => choosePreset(d)}
          >
            {d} days
          </button>
        ))}
        <button type="button" className="seg" aria-pressed={customOpen} onClick={() => setCustomOpen(true)}>
          Custom
        </button>
      </fieldset>
      {customOpen && (
        <form className="custom-range" onSubmit={applyCustom}>
          <label className="field-inline">
            <span>From</span>
            <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label className="field-inline">
            <span>To</span>
            <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="btn btn-small">
            Apply
          </button>
        </form>
      )}
      <div className="filters">
        {LISTED.map((key, i) => {
          const rows = options[i]?.data?.rows ?? [];
          const values = [...new Set(rows.map((r) => optionValue(key, r)).filter((v) => v && v !== '(none)'))];
          const current = view.filters[key];
          if (current && !values.includes(current)) values.unshift(current);
          return (
            <label key={key} className="field-inline">
              <span>{FILTER_LABELS[key]}</span>
              <select value={current ?? ''} onChange={(e) => setFilter(key, e.target.value)} name={key}>
                <option value="">All</option>
                {values.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
        <UserFilter
          key={view.filters.user_id ?? ''}
          value={view.filters.user_id ?? ''}
          onApply={(v) => setFilter('user_id', v)}
        />
        {hasFilters(view.filters) && (
          <button type="button" className="btn btn-small btn-ghost" onClick={clearFilters}>
            Clear filters
          </button>
        )}
      </div>
    </section>
  );
}

function UserFilter({ value, onApply }: { value: string; onApply: (v: string) => void }) {
  const [text, setText] = useState(value);
  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    if (text.trim() !== value) onApply(text.trim());
  };
  return (
    <form className="field-inline" onSubmit={apply}>
      <label htmlFor="filter-user">{FILTER_LABELS.user_id}</label>
      <input
        id="filter-user"
        name="user_id"
        type="search"
        value={text}
        placeholder="any"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => apply()}
      />
    </form>
  );
}
