import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { ApiKey, Budget, BudgetPer, BudgetUsage, BudgetValueUsage } from '../../api/types';
import { formatPercent, formatUsd } from '../../components/format';
import { ErrorState, Loading } from '../../components/states';
import { PER_LABELS } from './budget-scope';

const TOP = 5;
const PAGE_SIZE = 50;
const PLURALS: Record<BudgetPer, string> = { end_user: 'end users', api_key: 'API keys', feature: 'features' };
const STATE_BADGE: Record<BudgetValueUsage['state'], string> = { ok: 'badge', alert: 'badge badge-warn', exceeded: 'badge badge-error' };

/** The values of a template budget this period: the top five, or every one page by page. */
export function TemplateUsage({ budget, per }: { budget: Budget; per: BudgetPer }) {
  const { api, projectId } = useScope();
  const [all, setAll] = useState(false);
  const path = `/api/budgets/${encodeURIComponent(budget.id)}/usage`;
  // Under the budgets' key, so that saving or refreshing the budgets refreshes these too.
  const top = useQuery({
    queryKey: ['budgets', projectId, 'usage', budget.id, 'top'],
    queryFn: ({ signal }) => api.get<BudgetUsage>(path, { limit: TOP }, signal),
  });
  const pages = useInfiniteQuery({
    queryKey: ['budgets', projectId, 'usage', budget.id, 'all'],
    queryFn: ({ pageParam, signal }) => api.get<BudgetUsage>(path, { limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: all,
  });
  const keyName = useKeyNames(per === 'api_key');
  const shown = all ? pages : top;
  const values = all ? (pages.data?.pages.flatMap((p) => p.values) ?? []) : (top.data?.values ?? []);

  return (
    <section className="template-usage" aria-label={`Spend of each ${PER_LABELS[per]}`}>
      <h3>
        {all ? 'All' : 'Top'} {PLURALS[per]} this period
      </h3>
      {shown.isPending ? (
        <Loading />
      ) : !shown.data ? (
        <ErrorState error={shown.error} onRetry={() => shown.refetch()} />
      ) : values.length === 0 ? (
        <p className="muted small">No {PER_LABELS[per]} has spent this period yet.</p>
      ) : (
        <ValuesTable values={values} per={per} keyName={keyName} />
      )}
      <div className="row-actions">
        {!all && top.data?.next_cursor && (
          <button type="button" className="btn btn-small" onClick={() => setAll(true)}>
            Show all {PLURALS[per]}
          </button>
        )}
        {all && pages.hasNextPage && (
          <button type="button" className="btn btn-small" onClick={() => pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        )}
        {all && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setAll(false)}>
            Show the top {TOP}
          </button>
        )}
      </div>
      {/* A failed "show more" keeps the values already shown. */}
      {all && pages.data && pages.error && <ErrorState error={pages.error} title="Could not load more" />}
    </section>
  );
}

function ValuesTable({ values, per, keyName }: { values: BudgetValueUsage[]; per: BudgetPer; keyName: (id: string) => string }) {
  const label = PER_LABELS[per];
  return (
    <div className="table-wrap">
      <table className="table" data-testid="budget-values">
        <thead>
          <tr>
            <th scope="col">{label.charAt(0).toUpperCase() + label.slice(1)}</th>
            <th scope="col" className="num">
              Spent
            </th>
            <th scope="col" className="num">
              Remaining
            </th>
            <th scope="col" className="num">
              Used
            </th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {values.map((v) => (
            <tr key={v.value ?? ''} data-value={v.value ?? ''}>
              <th scope="row" className="break">
                {v.value === null ? '—' : keyName(v.value)}
              </th>
              <td className="num">{formatUsd(v.spent)}</td>
              <td className="num">{formatUsd(v.remaining)}</td>
              <td className="num">{formatPercent(v.percentage)}</td>
              <td>
                <span className={STATE_BADGE[v.state]}>{v.state}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Names API key ids when the role may list keys (the list Settings shows); the id otherwise. */
export function useKeyNames(wanted: boolean): (id: string) => string {
  const { api, projectId } = useScope();
  const canList = useCan('member', 'list API keys');
  const keys = useQuery({
    queryKey: ['keys', projectId],
    queryFn: ({ signal }) => api.get<{ keys: ApiKey[] }>('/api/keys', undefined, signal),
    enabled: wanted && canList.allowed,
  });
  const names = new Map((keys.data?.keys ?? []).map((k) => [k.id, k.name]));
  return (id) => names.get(id) ?? id;
}
