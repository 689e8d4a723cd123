import { useQueries } from '@tanstack/react-query';
import type { Breakdown, BreakdownRow } from '../../api/types';
import { useScope } from '../../api/session';
import { formatCount, formatPercent, formatTime, formatUsd, percentChange } from '../../components/format';
import { RetentionNotice } from '../../components/retention-notice';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { readView, type View } from '../../filters/view';
import { Link } from '../../router/link';
import { hrefWithShared, useLocation } from '../../router/location';
import { RangeLinks } from '../sessions/range-links';
import { type CustomerBudget, useCustomerBudgets } from './customer-budgets';

const NO_USER = '(none)';
const OTHER_USERS = '(other users)';

/** Spend per end user over the range: share of the project's spend, change from the period before, and the budget that applies. */
export default function CustomersPage() {
  const loc = useLocation();
  const view = readView(loc.params);
  return (
    <section className="page" aria-labelledby="customers-title">
      <div className="page-head">
        <h1 id="customers-title">Customers</h1>
        <RangeLinks view={view} />
      </div>
      <p className="muted">
        What each end user (<code>user_id</code>, <code>x-llmlab-user</code>, <code>withTags({'{ userId }'})</code>) cost in the range, their share of the project's
        spend, the change from the {view.range.days} days before, and the budget that applies to them.
      </p>
      <CustomerTable view={view} />
    </section>
  );
}

function CustomerTable({ view }: { view: View }) {
  const { api, projectId } = useScope();
  const loc = useLocation();
  const budgets = useCustomerBudgets();
  const ask = (range: { from: number; to: number }, groupBy: 'user' | 'provider') => {
    // The customers page shows every customer: the view's filters (other pages') do not apply here.
    const from = new Date(range.from).toISOString();
    const to = new Date(range.to).toISOString();
    const query = { from, to, tz: view.tz, group_by: groupBy };
    return {
      queryKey: ['breakdown', projectId, groupBy, from, to, view.tz, {}],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Breakdown>('/api/costs/breakdown', query, signal),
    };
  };
  const [current, previous, total] = useQueries({ queries: [ask(view.range, 'user'), ask(view.previous, 'user'), ask(view.range, 'provider')] });

  const failed = current.error ?? total.error ?? budgets.error;
  if (failed) {
    const retry = () => {
      for (const q of [current, previous, total]) void q.refetch();
    };
    return <ErrorState error={failed} onRetry={retry} />;
  }
  if (!current.data || !total.data || budgets.isPending) return <Loading label="Loading customers…" />;
  const rows = current.data.rows;
  // The project's spend over the whole range, from the hourly totals (the summary's source): the base of every share.
  const projectNanos = total.data.total_nanos;
  const before = new Map((previous.data?.rows ?? []).map((r) => [r.key, r]));
  const partial = current.data.events_read_since;
  const previousPartial = previous.data?.events_read_since;

  return (
    <section className="panel" aria-label="Customers">
      <dl className="stats">
        <div>
          <dt>Project spend · {view.range.label}</dt>
          <dd data-testid="project-spend">{formatUsd(total.data.total)}</dd>
        </div>
        <div>
          <dt>Customers</dt>
          <dd data-testid="customer-count">{formatCount(rows.filter((r) => r.key !== NO_USER && r.key !== OTHER_USERS).length)}</dd>
        </div>
      </dl>
      <RetentionNotice since={current.data.raw_events_since} subject="Calls" />
      {partial && (
        <p className="notice notice-warn" role="status" data-testid="customers-partial">
          Partial: this range holds more calls than one answer reads, so spend per customer covers only the calls since {formatTime(partial)}, not the whole range.
          Shares are of the project's whole-range spend ({formatUsd(total.data.total)}), so they add up to less than 100%.
        </p>
      )}
      {previousPartial && !partial && (
        <p className="notice notice-info" role="status">
          The change column compares with the calls since {formatTime(previousPartial)} only: the period before holds more calls than one answer reads.
        </p>
      )}
      {rows.length === 0 ? (
        <EmptyState title="No spend in this range">No call was recorded in this range.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="customers-table">
            <caption className="sr-only">Spend per customer</caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col" className="num">Spend</th>
                <th scope="col" className="num">Share</th>
                <th scope="col" className="num">vs previous {view.range.days} days</th>
                <th scope="col" className="num">Calls</th>
                <th scope="col">Budget this period</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <CustomerRow
                  key={r.key}
                  row={r}
                  previous={previous.data ? (before.get(r.key)?.spend_nanos ?? 0) : null}
                  share={projectNanos > 0 ? r.spend_nanos / projectNanos : 0}
                  budgets={r.key && r.key !== NO_USER && r.key !== OTHER_USERS ? budgets.forUser(r.key) : []}
                  sessionsHref={r.key && r.key !== NO_USER && r.key !== OTHER_USERS ? sessionsOf(r.key, loc.params) : null}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The Sessions page of one customer, in the same range. */
function sessionsOf(user: string, params: URLSearchParams): string {
  const next = new URLSearchParams(params);
  next.set('user_id', user);
  return hrefWithShared('/sessions', next);
}

function CustomerRow({ row, previous, share, budgets, sessionsHref }: { row: BreakdownRow; previous: number | null; share: number; budgets: CustomerBudget[]; sessionsHref: string | null }) {
  const name = row.key === NO_USER ? 'No end user' : row.key === OTHER_USERS ? 'Other customers (beyond the 1,000 largest)' : (row.key ?? '—');
  return (
    <tr data-customer={row.key ?? ''}>
      <th scope="row">
        {name}
        {sessionsHref && (
          <>
            {' '}
            <Link className="muted" href={sessionsHref}>
              sessions
            </Link>
          </>
        )}
      </th>
      <td className="num" data-testid="customer-spend">
        {formatUsd(row.spend)}
        {row.unpriced_calls > 0 && <span className="badge badge-warn">{row.unpriced_calls} unpriced</span>}
      </td>
      <td className="num" data-testid="customer-share">
        {formatPercent(share * 100)}
      </td>
      <td className="num" data-testid="customer-trend">
        <Trend current={row.spend_nanos} previous={previous} />
      </td>
      <td className="num">{formatCount(row.calls)}</td>
      <td data-testid="customer-budget">
        {budgets.length === 0
          ? '—'
          : budgets.map((b) => (
              <div key={b.budget.id}>
                {b.budget.name}: {b.spent === null ? '—' : formatUsd(b.spent)} of {formatUsd(b.budget.amount)} {b.budget.period}
                {b.percentage !== null && <span className={`badge${b.percentage >= 100 ? ' badge-warn' : ''}`}>{formatPercent(b.percentage, 0)}</span>}
              </div>
            ))}
      </td>
    </tr>
  );
}

function Trend({ current, previous }: { current: number; previous: number | null }) {
  if (previous === null) return <span className="muted">—</span>;
  const change = percentChange(current, previous);
  if (change === null) return <span>new</span>;
  if (change === 0) return <span className="muted">no change</span>;
  return <span className={change > 0 ? 'trend-up' : 'trend-down'}>{`${change > 0 ? '+' : '−'}${formatPercent(Math.abs(change), 0)}`}</span>;
}
