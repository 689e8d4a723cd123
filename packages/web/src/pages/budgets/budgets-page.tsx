import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Permission, useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { Budget, BudgetInput } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { formatDate, formatUsd } from '../../components/format';
import { PermissionNote } from '../../components/gate';
import { BudgetGauge } from '../../components/gauge';
import { EmptyState, ErrorState, errorMessage, Loading } from '../../components/states';
import { AlertsHistory } from './alerts-history';
import { BudgetForm } from './budget-form';
import { describeScope, PER_LABELS } from './budget-scope';
import { ChannelsSection } from './channels-section';
import { RateLimitsSection } from './rate-limits-section';
import { TemplateUsage, useKeyNames } from './template-usage';

const PER_PERIOD: Record<Budget['period'], string> = { daily: 'a day', weekly: 'a week', monthly: 'a month' };

export default function BudgetsPage() {
  const { api, projectId } = useScope();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const can = useCan('admin', 'change budgets');
  const budgets = useQuery({
    queryKey: ['budgets', projectId],
    queryFn: ({ signal }) => api.get<{ budgets: Budget[] }>('/api/budgets', undefined, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['budgets', projectId] });
  const create = async (input: BudgetInput) => {
    await api.post<Budget>('/api/budgets', input);
    setCreating(false);
    await refresh();
  };

  return (
    <section className="page" aria-labelledby="budgets-page-title">
      <div className="page-head">
        <h1 id="budgets-page-title">Budgets &amp; alerts</h1>
        {!creating && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={!can.allowed}>
            New budget
          </button>
        )}
      </div>
      <PermissionNote permission={can} />
      {creating && (
        <section className="panel" aria-label="New budget">
          <h2>New budget</h2>
          <BudgetForm onSubmit={create} onCancel={() => setCreating(false)} submitLabel="Create budget" />
        </section>
      )}
      <section className="panel" aria-labelledby="budget-list-title">
        <h2 id="budget-list-title">Budgets</h2>
        {budgets.isPending ? (
          <Loading />
        ) : budgets.error ? (
          <ErrorState error={budgets.error} onRetry={() => budgets.refetch()} />
        ) : budgets.data.budgets.length === 0 ? (
          <EmptyState title="No budgets yet">
            <p>
              A budget watches spend per day, week or month, for the whole project or one provider, model, feature, end user,
              API key or tag, or gives each customer a budget of their own. You get an alert at each threshold (50%, 80%, 100% by
              default); with a hard limit, the SDK and proxy refuse calls once it is spent.
            </p>
            {!creating && (
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={!can.allowed}>
                Create your first budget
              </button>
            )}
          </EmptyState>
        ) : (
          <ul className="budget-list">
            {budgets.data.budgets.map((b) => (
              <BudgetItem key={b.id} budget={b} onChanged={refresh} can={can} />
            ))}
          </ul>
        )}
      </section>
      <RateLimitsSection />
      <AlertsHistory />
      <ChannelsSection />
    </section>
  );
}

function BudgetItem({ budget, onChanged, can }: { budget: Budget; onChanged: () => Promise<unknown>; can: Permission }) {
  const { api } = useScope();
  const [editing, setEditing] = useState(false);
  const remove = useMutation({ mutationFn: () => api.del(`/api/budgets/${budget.id}`), onSuccess: onChanged });
  const save = async (input: BudgetInput) => {
    await api.patch<Budget>(`/api/budgets/${budget.id}`, input);
    setEditing(false);
    await onChanged();
  };
  const s = budget.status;
  const keyName = useKeyNames(Boolean(budget.scope?.api_key_id));
  const counted = describeScope(budget.scope, keyName);
  return (
    <li className="budget-item" data-testid="budget-item">
      <BudgetGauge budget={budget} />
      <p className="small" data-testid="budget-scope">
        {budget.per
          ? `Each ${PER_LABELS[budget.per]} has its own ${formatUsd(budget.amount)} ${PER_PERIOD[budget.period]}${budget.scope ? `, counting ${counted}` : ''}`
          : `Counts ${counted}`}
      </p>
      <p className="muted small">
        {budget.period} · thresholds {budget.thresholds.join(', ')}% · reached{' '}
        {s.reached.length ? `${s.reached.join(', ')}%` : 'none'} · period {formatDate(s.period_start)} to{' '}
        {formatDate(new Date(s.period_end).getTime() - 1)}
      </p>
      {budget.per && <TemplateUsage budget={budget} per={budget.per} />}
      {editing ? (
        <BudgetForm initial={budget} onSubmit={save} onCancel={() => setEditing(false)} submitLabel="Save budget" />
      ) : (
        <div className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)} disabled={!can.allowed}>
            Edit
          </button>
          <ConfirmButton
            label="Delete"
            confirmLabel="Delete this budget"
            onConfirm={() => remove.mutate()}
            busy={remove.isPending}
            disabled={!can.allowed}
          />
        </div>
      )}
      {remove.error && (
        <p className="form-error" role="alert">
          {errorMessage(remove.error)}
        </p>
      )}
    </li>
  );
}
