import type { ReactNode } from 'react';
import type { LlmEvent } from '../../api/types';
import { formatCount, formatTime, formatUsd } from '../../components/format';
import { Drawer } from '../../components/drawer';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

function text(v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : v;
}

export function EventDrawer({ event: e, onClose }: { event: LlmEvent; onClose: () => void }) {
  const hasTags = e.tags && Object.keys(e.tags).length > 0;
  const hasMetadata = e.metadata && Object.keys(e.metadata).length > 0;
  return (
    <Drawer title={`${e.provider}/${e.model}`} onClose={onClose}>
      <dl className="fields" data-testid="event-fields">
        <Field label="Event id">
          <code>{e.event_id}</code>
        </Field>
        <Field label="Time">
          {formatTime(e.ts)} <span className="muted">({e.timestamp})</span>
        </Field>
        <Field label="Provider">{e.provider}</Field>
        <Field label="Model">{e.model}</Field>
        <Field label="Cost">
          {e.priced ? `${formatUsd(e.cost)} (${formatCount(e.cost_nanos)} nanodollars)` : 'Unpriced: no price for this model'}
        </Field>
        <Field label="Price source">{text(e.price_source)}</Field>
        <Field label="Service tier">{e.service_tier ?? 'not reported (priced as standard)'}</Field>
        <Field label="Input tokens">{formatCount(e.input_tokens)}</Field>
        <Field label="Cached input tokens">{formatCount(e.cached_input_tokens)}</Field>
        <Field label="Cache write tokens">{formatCount(e.cache_write_tokens)}</Field>
        <Field label="Output tokens">{formatCount(e.output_tokens)}</Field>
        <Field label="Reasoning tokens">{formatCount(e.reasoning_tokens)}</Field>
        <Field label="Latency">{e.latency_ms === null ? '—' : `${formatCount(e.latency_ms)} ms`}</Field>
        <Field label="Status">{text(e.status)}</Field>
        <Field label="Error type">{text(e.error_type)}</Field>
        <Field label="Feature">{text(e.feature)}</Field>
        <Field label="End user">{text(e.user_id)}</Field>
        <Field label="Environment">{text(e.environment)}</Field>
        <Field label="Source">{text(e.source)}</Field>
        <Field label="Request hash">{e.request_hash ? <code>{e.request_hash}</code> : '—'}</Field>
      </dl>
      <h3>Tags</h3>
      {hasTags ? <pre className="code">{JSON.stringify(e.tags, null, 2)}</pre> : <p className="muted">No tags.</p>}
      <h3>Metadata</h3>
      {hasMetadata ? (
        <pre className="code" data-testid="event-metadata">
          {JSON.stringify(e.metadata, null, 2)}
        </pre>
      ) : (
        <p className="muted">No metadata.</p>
      )}
    </Drawer>
  );
}
