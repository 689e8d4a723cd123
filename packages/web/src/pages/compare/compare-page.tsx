import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useScope } from '../../api/session';
import type { Breakdown, Comparison } from '../../api/types';
import { formatCount, formatPercent, formatTime, formatUsd } from '../../components/format';
import { RetentionNotice } from '../../components/retention-notice';
import { ErrorState, Loading } from '../../components/states';
import { FilterBar } from '../../filters/filter-bar';
import { rangeQuery, readView, type View } from '../../filters/view';
import { hrefWithParams, navigate, useLocation } from '../../router/location';

type Kind = 'tag' | 'model' | 'feature';

/** What the URL asks to compare: `dimension` (model, feature or tag:<name>), `a` and `b`. */
function readAsk(params: URLSearchParams): { kind: Kind; tag: string; a: string; b: string } {
  const dimension = params.get('dimension') ?? 'tag:variant';
  const kind: Kind = dimension === 'model' || dimension === 'feature' ? dimension : 'tag';
  return { kind, tag: kind === 'tag' ? dimension.slice(4) : 'variant', a: params.get('a') ?? '', b: params.get('b') ?? '' };
}

/** Models or features the project used in the range, from the hourly rollups (cheap); tag values are typed. */
function useChoices(kind: Kind, view: View): string[] {
  const { api, projectId } = useScope();
  const from = new Date(view.range.from).toISOString();
  const to = new Date(view.range.to).toISOString();
  const rows = useQuery({
    queryKey: ['breakdown', projectId, kind, from, to, view.tz, {}],
    queryFn: ({ signal }) => api.get<Breakdown>('/api/costs/breakdown', { from, to, tz: view.tz, group_by: kind as 'model' | 'feature' }, signal),
    enabled: kind !== 'tag',
  });
  if (kind === 'tag' || !rows.data) return [];
  return [...new Set(rows.data.rows.map((r) => (kind === 'model' ? (r.model ?? '') : (r.key ?? ''))).filter((v) => v && v !== '(none)'))];
}

export default function ComparePage() {
  const loc = useLocation();
  const view = readView(loc.params);
  const ask = readAsk(loc.params);
  const dimension = ask.kind === 'tag' ? `tag:${ask.tag}` : ask.kind;
  const ready = ask.a !== '' && ask.b !== '' && ask.a !== ask.b && (ask.kind !== 'tag' || ask.tag !== '');
  return (
    <section className="page" aria-labelledby="compare-title">
      <div className="page-head">
        <h1 id="compare-title">Compare</h1>
      </div>
      <p className="muted">
        Which of two variants, models or features costs less per call, on the calls of the range: the mean cost per call is what the bill follows, so
        the verdict is about means, with 95% intervals.
      </p>
      <FilterBar view={view} />
      <AskForm key={`${dimension}|${ask.a}|${ask.b}`} view={view} initial={ask} />
      {ready ? <Result view={view} dimension={dimension} a={ask.a} b={ask.b} kind={ask.kind} /> : <p className="muted empty-inline">Pick two values to compare.</p>}
    </section>
  );
}

function AskForm({ view, initial }: { view: View; initial: ReturnType<typeof readAsk> }) {
  const loc = useLocation();
  const [kind, setKind] = useState<Kind>(initial.kind);
  const [tag, setTag] = useState(initial.tag);
  const [a, setA] = useState(initial.a);
  const [b, setB] = useState(initial.b);
  const choices = useChoices(kind, view);
  const same = a.trim() !== '' && a.trim() === b.trim();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (same || !a.trim() || !b.trim() || (kind === 'tag' && !tag.trim())) return;
    navigate(hrefWithParams(loc, { dimension: kind === 'tag' ? `tag:${tag.trim()}` : kind, a: a.trim(), b: b.trim() }));
  };
  return (
    <form className="panel compare-form" onSubmit={submit} aria-label="What to compare">
      <label className="field-inline">
        <span>Compare by</span>
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="tag">Tag</option>
          <option value="model">Model</option>
          <option value="feature">Feature</option>
        </select>
      </label>
      {kind === 'tag' && (
        <label className="field-inline">
          <span>Tag name</span>
          <input name="tag" value={tag} onChange={(e) => setTag(e.target.value)} required maxLength={64} />
        </label>
      )}
      <label className="field-inline">
        <span>A</span>
        <input name="a" value={a} onChange={(e) => setA(e.target.value)} list="compare-choices" required maxLength={256} />
      </label>
      <label className="field-inline">
        <span>B</span>
        <input name="b" value={b} onChange={(e) => setB(e.target.value)} list="compare-choices" required maxLength={256} />
      </label>
      <datalist id="compare-choices">
        {choices.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <button type="submit" className="btn btn-small" disabled={same}>
        Compare
      </button>
      {same && <span className="error-text">A and B must be two different values.</span>}
    </form>
  );
}

const VERDICTS: Record<Comparison['verdict'], (r: Comparison) => string> = {
  a_cheaper: (r) => `${r.a.value} is cheaper per call`,
  b_cheaper: (r) => `${r.b.value} is cheaper per call`,
  no_significant_difference: () => 'No significant difference in cost per call',
  insufficient_data: () => 'Not enough priced calls to compare',
};

function Result({ view, dimension, a, b, kind }: { view: View; dimension: string; a: string; b: string; kind: Kind }) {
  const { api, projectId } = useScope();
  // The filter of the dimension compared would leave one arm empty: the arms are that filter's values.
  const filters = { ...rangeQuery(view.range, view), ...(kind === 'tag' ? {} : { [kind]: undefined }) };
  const query = { ...filters, dimension, a, b };
  const result = useQuery({
    queryKey: ['compare', projectId, query],
    queryFn: ({ signal }) => api.get<Comparison>('/api/experiments/compare', query, signal),
  });
  if (result.isPending) return <Loading label="Comparing…" />;
  if (result.error) return <ErrorState error={result.error} onRetry={() => result.refetch()} />;
  const r = result.data;
  const decided = r.verdict === 'a_cheaper' || r.verdict === 'b_cheaper';
  const d = r.difference;
  return (
    <>
      <RetentionNotice since={r.raw_events_since} subject="Calls" />
      {kind !== 'tag' && view.filters[kind] && (
        <p className="notice notice-info">The {kind} filter is left out here: the two arms are the {kind}s compared.</p>
      )}
      <section className={`panel verdict verdict-${decided ? 'decided' : 'open'}`} aria-label="Verdict" data-testid="verdict" data-verdict={r.verdict}>
        <h2 data-testid="verdict-title">{VERDICTS[r.verdict](r)}</h2>
        <p data-testid="verdict-reason">{r.reason}</p>
        {d.mean !== null && (
          <p className="muted" data-testid="difference">
            B − A: {formatUsd(d.mean)} per call
            {d.relative !== null && ` (${d.relative > 0 ? '+' : ''}${formatPercent(d.relative * 100)})`}
            {d.ci95_low !== null && d.ci95_high !== null && `, 95% interval ${formatUsd(d.ci95_low)} to ${formatUsd(d.ci95_high)}`}
          </p>
        )}
      </section>
      <div className="cards compare-arms">
        <ArmCard id="a" label="A" arm={r.a} />
        <ArmCard id="b" label="B" arm={r.b} />
      </div>
      <p className="muted">
        Welch&apos;s t on the difference of the mean cost per call. Unpriced calls are left out of the cost and counted; failed calls count in the error
        rate and their cost stays in.
      </p>
    </>
  );
}

function ArmCard({ id, label, arm }: { id: 'a' | 'b'; label: string; arm: Comparison['a'] }) {
  const c = arm.cost_per_call;
  return (
    <article className="card" aria-labelledby={`arm-${id}-title`} data-testid={`arm-${id}`}>
      <h2 id={`arm-${id}-title`} className="card-title">
        {label}: {arm.value}
      </h2>
      <p className="card-value" data-testid={`arm-${id}-cost-per-call`}>
        {formatUsd(c.mean)}
      </p>
      <p className="card-sub muted">
        per priced call{c.ci95_low !== null && c.ci95_high !== null && <>, 95% interval {formatUsd(c.ci95_low)} to {formatUsd(c.ci95_high)}</>}
      </p>
      <dl className="facts">
        <dt>Calls</dt>
        <dd data-testid={`arm-${id}-calls`}>{formatCount(arm.calls)}</dd>
        <dt>Cost</dt>
        <dd>{formatUsd(arm.cost)}</dd>
        <dt>Tokens per call</dt>
        <dd>{arm.tokens_per_call === null ? '—' : formatCount(Math.round(arm.tokens_per_call))}</dd>
        <dt>Latency p50 / p95</dt>
        <dd>{arm.latency_ms.p50 === null ? '—' : `${formatCount(arm.latency_ms.p50)} / ${formatCount(arm.latency_ms.p95)} ms`}</dd>
        <dt>Error rate</dt>
        <dd>{arm.error_rate === null ? '—' : formatPercent(arm.error_rate * 100)}</dd>
        <dt>Unpriced calls</dt>
        <dd>{formatCount(arm.unpriced_calls)}</dd>
      </dl>
      {arm.events_read_since && <p className="muted">Only its latest 50,000 calls were read, from {formatTime(arm.events_read_since)}.</p>}
    </article>
  );
}
