import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { Project } from '../../api/types';
import { formatTime, plural } from '../../components/format';
import { Gate } from '../../components/gate';
import { useCurrentProject } from '../../components/retention-notice';
import { Loading, errorMessage } from '../../components/states';

/** The most days the server takes (core's MAX_RETENTION_DAYS, spelled out to keep zod out of the bundle). */
const MAX_DAYS = 3650;

/** Settings: how many days the current project keeps its raw events, and removing the expired ones now. */
export function RetentionSection() {
  const { api, projectId } = useScope();
  const queryClient = useQueryClient();
  const project = useCurrentProject();
  const can = useCan('admin', 'change how long events are kept');
  const [days, setDays] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stored = project?.retention_days ?? null;
  useEffect(() => setDays(stored === null ? '' : String(stored)), [stored]);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await work());
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      await queryClient.invalidateQueries({ queryKey: ['events'] });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const value = days.trim() === '' ? null : Number(days);
    void run(async () => {
      await api.patch<Project>(`/api/projects/${encodeURIComponent(projectId)}`, { retention_days: value });
      return 'Saved.';
    });
  };
  const apply = () =>
    run(async () => {
      const { deleted } = await api.post<{ deleted: number }>('/api/admin/retention/apply');
      return `Removed ${plural(deleted, 'expired event')}.`;
    });

  return (
    <section className="panel" aria-labelledby="retention-title" data-testid="retention-section">
      <h2 id="retention-title">Event retention</h2>
      <p className="muted">
        Raw events older than the retention are removed every hour. Hourly totals are kept, so summaries, charts, budgets and
        forecasts stay exact for the whole history; the events list, the event export and spend by API key or end user cover
        the days kept.
      </p>
      {!project ? (
        <Loading />
      ) : (
        <p data-testid="retention-state">
          {stored === null ? 'This project keeps raw events forever.' : `This project keeps raw events for ${plural(stored, 'day')}.`}
          {project.raw_events_since && ` Events before ${formatTime(project.raw_events_since)} were removed.`}
        </p>
      )}
      <Gate permission={can}>
        <form className="form form-inline" onSubmit={save} aria-label="Event retention">
          <label className="field">
            <span>Days to keep (empty: forever)</span>
            <input type="number" min={1} max={MAX_DAYS} step={1} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} placeholder="forever" />
          </label>
          <button type="submit" className="btn" disabled={busy || !project || days === (stored === null ? '' : String(stored))}>
            Save retention
          </button>
          <button type="button" className="btn btn-small" disabled={busy || stored === null} onClick={apply}>
            Remove expired events now
          </button>
          <span aria-live="polite" className="small">
            {done && <span className="ok-text">{done}</span>}
          </span>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      </Gate>
    </section>
  );
}
