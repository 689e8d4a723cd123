import { useScope } from '../../api/session';
import { plural } from '../../components/format';
import { BudgetGauge } from '../../components/gauge';
import { RetentionNotice } from '../../components/retention-notice';
import { ErrorState, Loading } from '../../components/states';
import { FilterBar } from '../../filters/filter-bar';
import { GROUPS, hasFilters, readGroup, readView } from '../../filters/view';
import { Link } from '../../router/link';
import { hrefWithParams, hrefWithShared, navigate, useLocation } from '../../router/location';
import { FirstKeyBanner, GettingStarted } from './getting-started';
import { keyNames, SpendByKey } from './spend-by-key';
import { SpendCards } from './spend-cards';
import { SpendChart } from './spend-chart';
import { TopFeatures, TopModels } from './top-tables';
import { useOverview } from './use-overview';

export default function OverviewPage() {
  const loc = useLocation();
  const { projectId } = useScope();
  const view = readView(loc.params);
  const groupBy = readGroup(loc.params);
  const data = useOverview(view, groupBy);
  const models = data.models.data;
  const unpriced = (models?.rows ?? []).reduce((n, r) => n + (r.unpriced_calls ?? 0), 0);
  const calls = (models?.rows ?? []).reduce((n, r) => n + r.calls, 0);
  const noDataAtAll = models && calls === 0 && !hasFilters(view.filters);

  return (
    <section className="page" aria-labelledby="overview-title">
      <div className="page-head">
        <h1 id="overview-title">Overview</h1>
        <p className="muted">Times are in {view.tz}.</p>
      </div>
      <FirstKeyBanner />
      <FilterBar view={view} />
      {noDataAtAll && <GettingStarted rangeLabel={view.range.label.toLowerCase()} />}
      {unpriced > 0 && (
        <div className="notice notice-warn" role="status" data-testid="unpriced-notice">
          <strong>{plural(unpriced, 'call')} could not be priced</strong> in this range: their model is not in the price book, so
          they are counted but not in the totals. <Link href={hrefWithShared('/settings', loc.params)}>Add a price override</Link>{' '}
          and re-price them.
        </div>
      )}
      <SpendCards data={data} rangeLabel={view.range.label} />

      <section className="panel" aria-labelledby="chart-title">
        <div className="panel-head">
          <h2 id="chart-title">Spend over time</h2>
          <fieldset className="segmented">
            <legend className="sr-only">Stack the chart by</legend>
            {GROUPS.map((g) => (
              <button
                key={g.value}
                type="button"
                className="seg"
                aria-pressed={groupBy === g.value}
                onClick={() => navigate(hrefWithParams(loc, { group_by: g.value === 'model' ? null : g.value }))}
              >
                By {g.label}
              </button>
            ))}
          </fieldset>
        </div>
        {data.timeseries.isPending ? (
          <Loading label="Loading chart…" />
        ) : data.timeseries.error ? (
          <ErrorState error={data.timeseries.error} onRetry={() => data.timeseries.refetch()} />
        ) : data.timeseries.data.series.length === 0 ? (
          <p className="muted empty-inline">No spend in this range{hasFilters(view.filters) ? ' for these filters' : ''}.</p>
        ) : (
          <SpendChart data={data.timeseries.data} groupBy={groupBy} names={data.keys.data && keyNames(data.keys.data)} />
        )}
      </section>

      {groupBy === 'api_key' && (
        <section className="panel" aria-labelledby="keys-title">
          <h2 id="keys-title">Spend by API key</h2>
          {data.keys.isPending ? (
            <Loading />
          ) : data.keys.error ? (
            <ErrorState error={data.keys.error} onRetry={() => data.keys.refetch()} />
          ) : data.keys.data.rows.length === 0 ? (
            <p className="muted empty-inline">No calls in this range.</p>
          ) : (
            <>
              <RetentionNotice since={data.keys.data.raw_events_since} subject="Calls" />
              <SpendByKey data={data.keys.data} />
            </>
          )}
        </section>
      )}

      <div className="grid-2">
        <section className="panel" aria-labelledby="models-title">
          <h2 id="models-title">Top models</h2>
          {data.models.isPending ? (
            <Loading />
          ) : data.models.error ? (
            <ErrorState error={data.models.error} onRetry={() => data.models.refetch()} />
          ) : data.models.data.rows.length === 0 ? (
            <p className="muted empty-inline">No model was called in this range.</p>
          ) : (
            <TopModels data={data.models.data} />
          )}
        </section>
        <section className="panel" aria-labelledby="features-title">
          <h2 id="features-title">Top features</h2>
          {data.features.isPending ? (
            <Loading />
          ) : data.features.error ? (
            <ErrorState error={data.features.error} onRetry={() => data.features.refetch()} />
          ) : data.features.data.rows.length === 0 ? (
            <p className="muted empty-inline">No calls in this range.</p>
          ) : (
            <TopFeatures data={data.features.data} />
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="budgets-title">
        <div className="panel-head">
          <h2 id="budgets-title">Budgets</h2>
          <Link className="btn btn-small" href={hrefWithShared('/budgets', loc.params)}>
            Manage budgets
          </Link>
        </div>
        {data.budgets.isPending ? (
          <Loading />
        ) : data.budgets.error ? (
          <ErrorState error={data.budgets.error} onRetry={() => data.budgets.refetch()} />
        ) : data.budgets.data.budgets.length === 0 ? (
          <p className="muted empty-inline">
            No budget yet. <Link href={`/budgets?project_id=${encodeURIComponent(projectId)}`}>Set a monthly budget</Link> to get
            alerts before the bill surprises you.
          </p>
        ) : (
          <div className="gauges">
            {data.budgets.data.budgets.map((b) => (
              <BudgetGauge key={b.id} budget={b} />
            ))}
          </div>
        )}
        <p className="muted small">Budgets count their own scope and period; the filters above do not change them.</p>
      </section>
    </section>
  );
}
