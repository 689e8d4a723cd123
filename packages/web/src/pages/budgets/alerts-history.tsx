import { useQuery } from '@tanstack/react-query';
import { useScope } from '../../api/session';
import type { FiredAlert } from '../../api/types';
import { formatTime } from '../../components/format';
import { EmptyState, ErrorState, isMissingEndpoint, Loading } from '../../components/states';

function alertsOf(data: { alerts?: FiredAlert[] } | FiredAlert[]): FiredAlert[] {
  return Array.isArray(data) ? data : (data.alerts ?? []);
}

function describe(a: FiredAlert): string {
  if (a.message) return a.message;
  const name = a.budget_name ?? 'Budget';
  return a.threshold !== undefined ? `${name} reached ${a.threshold}%` : name;
}

export function AlertsHistory() {
  const { api, projectId } = useScope();
  const alerts = useQuery({
    queryKey: ['alerts', projectId],
    queryFn: ({ signal }) => api.get<{ alerts?: FiredAlert[] } | FiredAlert[]>('/api/alerts', undefined, signal),
    retry: false,
    // The server checks budgets every minute: new alerts show up without a reload.
    refetchInterval: 60_000,
  });
  return (
    <section className="panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Fired alerts</h2>
      {alerts.isPending ? (
        <Loading />
      ) : alerts.error ? (
        isMissingEndpoint(alerts.error) ? (
          <EmptyState title="Alert history is not available on this server">
            <p>This LLMLab server does not record fired alerts yet. Budgets still show their status above.</p>
          </EmptyState>
        ) : (
          <ErrorState error={alerts.error} onRetry={() => alerts.refetch()} />
        )
      ) : alertsOf(alerts.data).length === 0 ? (
        <EmptyState title="No alert has fired">
          <p>When a budget crosses one of its thresholds, the alert shows here with where it was sent.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="alerts-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Alert</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {alertsOf(alerts.data).map((a) => (
                <tr key={a.id}>
                  <td>{formatTime(a.fired_at ?? a.created_at)}</td>
                  <td>{describe(a)}</td>
                  <td>
                    <Deliveries alert={a} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Deliveries({ alert }: { alert: FiredAlert }) {
  const list = alert.deliveries ?? [];
  if (list.length === 0) return <span className="muted">no channel</span>;
  return (
    <ul className="plain-list">
      {list.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a delivery has no id of its own in this list
        <li key={i}>
          <span className={`badge ${d.status === 'failed' ? 'badge-error' : d.status === 'pending' ? 'badge-warn' : ''}`}>
            {d.status}
          </span>{' '}
          {d.channel_name ?? d.channel_type ?? ''}
          {d.last_error && <span className="error-text small"> {d.last_error}</span>}
        </li>
      ))}
    </ul>
  );
}
