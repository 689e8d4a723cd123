import type { BillingConnectionAnswer, ReconciliationAnswer } from '@llmlab/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useScope } from '../../api/session';
import { formatUsd } from '../../components/format';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { BILLING_NAMES } from './billing-names';
import { ConnectionsSection } from './connections-section';
import { ReconciliationTable } from './reconciliation-table';

type Totals = ReconciliationAnswer['providers'][number];

/** A provider's bill against what LLMLab tracked, with what it never saw set apart. */
function ProviderCard({ totals }: { totals: Totals }) {
  const name = BILLING_NAMES[totals.provider];
  return (
    <article className="card" data-testid={`billing-card-${totals.provider}`} aria-labelledby={`billing-${totals.provider}-title`}>
      <h2 id={`billing-${totals.provider}-title`} className="card-title">
        {name}: {totals.days_billed} {totals.days_billed === 1 ? 'day' : 'days'} billed
      </h2>
      {totals.billed === null ? (
        <p className="card-value muted">No bill read yet</p>
      ) : (
        <>
          <p className="card-value">
            <span data-testid="billed">{formatUsd(totals.billed)}</span> billed
          </p>
          <p className="card-sub">
            <span data-testid="tracked">{formatUsd(totals.tracked)}</span> tracked by LLMLab
          </p>
          {totals.untracked_nanos > 0 ? (
            <p className="notice notice-warn" data-testid="untracked">
              <strong>{formatUsd(totals.untracked)}</strong> billed that LLMLab never saw: calls outside the SDK and proxy, or other projects on the {name} organization.
            </p>
          ) : (
            <p className="card-sub ok-text" data-testid="untracked">
              LLMLab saw everything {name} billed{totals.difference !== null && totals.difference < 0 ? ` (it tracked ${formatUsd(-totals.difference)} more)` : ''}.
            </p>
          )}
          {totals.unpriced_calls > 0 && <p className="card-sub muted">{totals.unpriced_calls} tracked calls had no price: their cost is missing from tracked.</p>}
        </>
      )}
    </article>
  );
}

export default function BillingPage() {
  const { api, me } = useScope();
  const queryClient = useQueryClient();
  const connections = useQuery({
    queryKey: ['billing-connections', me.org.id],
    queryFn: ({ signal }) => api.get<{ connections: BillingConnectionAnswer[] }>('/api/billing/connections', undefined, signal),
  });
  const reconciliation = useQuery({
    queryKey: ['billing-reconciliation', me.org.id],
    queryFn: ({ signal }) => api.get<ReconciliationAnswer>('/api/billing/reconciliation', undefined, signal),
  });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['billing-connections'] }), queryClient.invalidateQueries({ queryKey: ['billing-reconciliation'] })]);

  return (
    <section className="page" aria-labelledby="billing-page-title">
      <div className="page-head">
        <h1 id="billing-page-title">Billing reconciliation</h1>
      </div>
      <p className="muted">
        What OpenAI and Anthropic billed {me.org.name}, day by day (UTC), against what LLMLab tracked in all its projects. Providers report late: a day settles 48 hours after it ends.
      </p>
      {reconciliation.data && reconciliation.data.providers.length > 0 && (
        <div className="cards">
          {reconciliation.data.providers.map((p) => (
            <ProviderCard key={p.provider} totals={p} />
          ))}
        </div>
      )}
      {connections.isPending ? (
        <Loading />
      ) : connections.error ? (
        <ErrorState error={connections.error} onRetry={() => connections.refetch()} />
      ) : (
        <ConnectionsSection connections={connections.data.connections} onChanged={refresh} />
      )}
      {reconciliation.isPending ? (
        <Loading />
      ) : reconciliation.error ? (
        <ErrorState error={reconciliation.error} onRetry={() => reconciliation.refetch()} />
      ) : reconciliation.data.providers.length === 0 ? (
        <EmptyState title="No provider connected">
          <p>An admin stores the organization&apos;s admin key of OpenAI or Anthropic above; LLMLab then reads the bill every day.</p>
        </EmptyState>
      ) : (
        <ReconciliationTable days={reconciliation.data.days} />
      )}
    </section>
  );
}
