import type { UseQueryResult } from '@tanstack/react-query';
import type { Breakdown } from '../../api/types';
import { formatPercent, formatUsd, percentChange, plural } from '../../components/format';
import type { OverviewData } from './use-overview';

interface CardProps {
  id: string;
  title: string;
  current: UseQueryResult<Breakdown>;
  previous: UseQueryResult<Breakdown>;
  versus: string;
}

function totalCalls(b: Breakdown | undefined): number {
  return (b?.rows ?? []).reduce((n, r) => n + r.calls, 0);
}

function Change({ current, previous, versus }: { current: number; previous: number; versus: string }) {
  const change = percentChange(current, previous);
  if (change === null) return <p className="card-change muted">No spend in the {versus} to compare with</p>;
  // Spending more is the thing to notice, so an increase is shown as the warning colour.
  const dir = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  const arrow = dir === 'up' ? '▲' : dir === 'down' ? '▼' : '■';
  return (
    <p className={`card-change change-${dir}`} data-testid="change">
      <span aria-hidden="true">{arrow}</span> {formatPercent(Math.abs(change))}{' '}
      {dir === 'down' ? 'less' : dir === 'up' ? 'more' : 'same'} than the {versus} ({formatUsd(previous)})
    </p>
  );
}

function SpendCard({ id, title, current, previous, versus }: CardProps) {
  return (
    <article className="card" aria-labelledby={`${id}-title`} data-testid={`card-${id}`}>
      <h2 id={`${id}-title`} className="card-title">
        {title}
      </h2>
      {current.isPending ? (
        <p className="card-value skeleton">Loading…</p>
      ) : current.error ? (
        <p className="card-value error-text">Unavailable</p>
      ) : (
        <>
          <p className="card-value" data-testid={`value-${id}`}>
            {formatUsd(current.data?.total ?? 0)}
          </p>
          <p className="card-sub muted">{plural(totalCalls(current.data), 'call')}</p>
          {previous.data && <Change current={current.data?.total ?? 0} previous={previous.data.total} versus={versus} />}
        </>
      )}
    </article>
  );
}

/** What the proxy's response cache saved in the range (the same filters as the other cards): shown only once it saved something. */
function SavedCard({ breakdown, rangeLabel }: { breakdown: Breakdown; rangeLabel: string }) {
  return (
    <article className="card" aria-labelledby="saved-title" data-testid="card-saved">
      <h2 id="saved-title" className="card-title">
        Saved by cache · {rangeLabel}
      </h2>
      <p className="card-value ok-text" data-testid="value-saved">
        {formatUsd(breakdown.saved)}
      </p>
      <p className="card-sub muted">
        {plural(breakdown.cache_hits, 'call')} answered from the cache, at no cost
      </p>
    </article>
  );
}

export function SpendCards({ data, rangeLabel }: { data: OverviewData; rangeLabel: string }) {
  const range = data.models.data;
  const saved = range && range.saved > 0;
  return (
    <div className={saved ? 'cards cards-4' : 'cards'}>
      <SpendCard
        id="total"
        title={`Total spend · ${rangeLabel}`}
        current={data.models}
        previous={data.previous}
        versus="previous period"
      />
      <SpendCard id="month" title="This month" current={data.month} previous={data.previousMonth} versus="same days last month" />
      <SpendCard id="today" title="Today" current={data.today} previous={data.yesterday} versus="day before" />
      {saved && <SavedCard breakdown={range} rangeLabel={rangeLabel} />}
    </div>
  );
}
