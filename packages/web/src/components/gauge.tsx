import type { Budget } from '../api/types';
import { formatPercent, formatUsd } from './format';

export function budgetName(b: Budget): string {
  if (b.name) return b.name;
  const scope = b.scope
    ? Object.entries(b.scope)
        .filter((e): e is [string, string] => typeof e[1] === 'string')
        .map(([k, v]) => `${k} ${v}`)
    : [];
  const period = b.period.charAt(0).toUpperCase() + b.period.slice(1);
  return scope.length ? `${period} budget · ${scope.join(', ')}` : `${period} budget`;
}

function level(b: Budget): 'ok' | 'warn' | 'over' {
  if (b.status.exceeded || b.status.percentage >= 100) return 'over';
  if (b.status.alert) return 'warn';
  return 'ok';
}

/** A budget's spend in its current period as a bar with threshold marks. */
export function BudgetGauge({ budget }: { budget: Budget }) {
  const pct = budget.status.percentage;
  const state = level(budget);
  const name = budgetName(budget);
  return (
    <div className={`gauge gauge-${state}`} data-testid="budget-gauge">
      <div className="gauge-head">
        <span className="gauge-name">{name}</span>
        <span className="gauge-figures">
          {/* A template's status is its top spender's: say whose, and that the amount is each one's. */}
          {budget.per && budget.status.value !== null && `${budget.status.value}: `}
          {formatUsd(budget.status.spent)} of {formatUsd(budget.amount)}
          {budget.per && ' each'}
        </span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot draw the threshold marks */}
      <div
        className="gauge-track"
        role="meter"
        aria-label={`${name}: ${formatPercent(pct)} used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, Math.round(pct * 10) / 10)}
      >
        <div className="gauge-fill" style={{ width: `${Math.min(100, Math.max(0, pct))}%` }} />
        {budget.thresholds
          .filter((t) => t < 100)
          .map((t) => (
            <span key={t} className="gauge-mark" style={{ left: `${t}%` }} title={`${t}% threshold`} />
          ))}
      </div>
      <div className="gauge-foot">
        <span data-testid="gauge-percent">{formatPercent(pct)} used</span>
        <span className="muted">{budget.hard_limit ? 'Hard limit: calls are blocked at 100%' : 'Soft limit: alerts only'}</span>
      </div>
    </div>
  );
}
