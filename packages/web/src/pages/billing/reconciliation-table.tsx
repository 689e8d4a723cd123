import type { DayReconciliationAnswer } from '@llmlab/core';
import { Fragment, useState } from 'react';
import { formatPercent, formatUsd } from '../../components/format';
import { BILLING_NAMES } from './billing-names';

type Day = DayReconciliationAnswer;

function Difference({ usd, pct }: { usd: number | null; pct: number | null }) {
  if (usd === null) return <span className="muted">—</span>;
  return (
    <span className={usd > 0 ? 'change-up' : undefined}>
      {usd > 0 ? '+' : ''}
      {formatUsd(usd)}
      {pct !== null && <span className="muted small"> ({formatPercent(pct, 2)})</span>}
    </span>
  );
}

function ModelRows({ day }: { day: Day }) {
  return (
    <>
      {day.models.map((m) => (
        <tr key={`${m.model ?? ''}|${m.line_item ?? ''}`} className="subrow" data-model={m.model ?? m.line_item ?? ''}>
          <td />
          <th scope="row" className="small" title={m.line_items.map((l) => `${l.line_item}: ${formatUsd(l.billed)}`).join('\n') || undefined}>
            {m.model ?? <span>{m.line_item} <span className="badge">not a model</span></span>}
            {m.unpriced_calls > 0 && <span className="badge badge-warn">{m.unpriced_calls} unpriced</span>}
          </th>
          <td className="num">{formatUsd(m.tracked)}</td>
          <td className="num">{formatUsd(m.billed)}</td>
          <td className="num">
            <Difference usd={m.difference} pct={m.difference_pct} />
          </td>
          <td />
        </tr>
      ))}
    </>
  );
}

/**
 * Day by day and provider, newest first; a day opens into its models and the bill lines naming
 * none. Days with neither a bill read nor tracked spend are left out unless asked for.
 */
export function ReconciliationTable({ days: all }: { days: Day[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const [everyDay, setEveryDay] = useState(false);
  const days = everyDay ? all : all.filter((d) => d.billed !== null || d.tracked_nanos !== 0);
  return (
    <section className="panel" aria-labelledby="billing-days-title">
      <h2 id="billing-days-title">By day</h2>
      <label className="field-check small">
        <input type="checkbox" checked={everyDay} onChange={(e) => setEveryDay(e.target.checked)} />
        Show days with no bill read and no tracked spend
      </label>
      <div className="table-wrap">
        <table className="table" data-testid="reconciliation-table">
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">Provider</th>
              <th scope="col" className="num">Tracked</th>
              <th scope="col" className="num">Billed</th>
              <th scope="col" className="num">Billed − tracked</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => {
              const key = `${d.date}|${d.provider}`;
              return (
                <Fragment key={key}>
                  <tr data-day={d.date} data-provider={d.provider}>
                    <td>
                      <button type="button" className="btn btn-small btn-ghost" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)} disabled={d.models.length === 0}>
                        {d.date}
                      </button>
                    </td>
                    <th scope="row">{BILLING_NAMES[d.provider]}</th>
                    <td className="num" data-testid="day-tracked">{formatUsd(d.tracked)}</td>
                    <td className="num" data-testid="day-billed">{d.billed === null ? <span className="muted">not read</span> : formatUsd(d.billed)}</td>
                    <td className="num" data-testid="day-difference">
                      <Difference usd={d.difference} pct={d.difference_pct} />
                    </td>
                    <td data-testid="day-status">{d.settled ? 'Settled' : <span className="badge badge-warn" title="The provider may still add to this day">Not settled</span>}</td>
                  </tr>
                  {open === key && <ModelRows day={d} />}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
