import { useQuery } from '@tanstack/react-query';
import { useScope } from '../../api/session';
import type { Recommendation } from '../../api/types';
import { formatPercent, formatUsd } from '../../components/format';
import { EmptyState, ErrorState, isMissingEndpoint, Loading } from '../../components/states';
import { Link } from '../../router/link';
import { hrefWithShared, useLocation } from '../../router/location';
import { Evidence } from './evidence';

function recommendationsOf(data: { recommendations?: Recommendation[] } | Recommendation[]): Recommendation[] {
  return Array.isArray(data) ? data : (data.recommendations ?? []);
}

function confidenceLabel(c: number | string): string {
  if (typeof c === 'number') return c <= 1 ? formatPercent(c * 100, 0) : formatPercent(c, 0);
  return c;
}

function actionText(action: unknown): string | null {
  if (typeof action === 'string') return action;
  if (action && typeof action === 'object' && 'description' in action)
    return String((action as { description: unknown }).description);
  return null;
}

export default function RecommendationsPage() {
  const { api, projectId } = useScope();
  const loc = useLocation();
  const recs = useQuery({
    queryKey: ['recommendations', projectId],
    queryFn: ({ signal }) =>
      api.get<{ recommendations?: Recommendation[] } | Recommendation[]>('/api/recommendations', undefined, signal),
    retry: false,
  });
  const list = recs.data ? recommendationsOf(recs.data) : [];
  const total = list.reduce((n, r) => n + (r.estimated_monthly_savings ?? 0), 0);

  return (
    <section className="page" aria-labelledby="recs-title">
      <div className="page-head">
        <h1 id="recs-title">Recommendations</h1>
        <p className="muted">Computed from this project's last 30 days of calls and real prices.</p>
      </div>
      {recs.isPending ? (
        <Loading label="Analysing your usage…" />
      ) : recs.error ? (
        isMissingEndpoint(recs.error) ? (
          <EmptyState title="Recommendations are not available on this server">
            <p>This LLMLab server does not compute recommendations yet.</p>
          </EmptyState>
        ) : (
          <ErrorState error={recs.error} onRetry={() => recs.refetch()} />
        )
      ) : list.length === 0 ? (
        <EmptyState title="No recommendations yet">
          <p>
            Recommendations come from your own traffic: once calls are recorded, LLMLab compares them with cheaper models, prompt
            sizes, caching and batch prices. <Link href={hrefWithShared('/quickstart', loc.params)}>Start sending events</Link>.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="notice notice-info">
            Up to <strong>{formatUsd(total)}</strong> a month could be saved if every recommendation below were applied (they may
            overlap).
          </p>
          <ul className="rec-list">
            {list.map((r) => (
              <li key={r.id ?? `${r.type}:${r.title}`} className="panel rec" data-testid="recommendation">
                <div className="rec-head">
                  <h2>{r.title}</h2>
                  <div className="rec-figures">
                    <span className="rec-savings">{formatUsd(r.estimated_monthly_savings)}/month</span>
                    <span className="muted">{formatPercent(r.savings_percentage)} less</span>
                    <span className="badge">confidence {confidenceLabel(r.confidence)}</span>
                  </div>
                </div>
                <p>{r.description}</p>
                {actionText(r.action) && (
                  <p>
                    <strong>What to do:</strong> {actionText(r.action)}
                  </p>
                )}
                <details>
                  <summary>Evidence</summary>
                  <Evidence value={r.evidence} />
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
