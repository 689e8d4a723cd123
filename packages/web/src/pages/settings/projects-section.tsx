import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useCan } from '../../api/permissions';
import { useScope } from '../../api/session';
import type { Project } from '../../api/types';
import { formatDate } from '../../components/format';
import { Gate } from '../../components/gate';
import { ErrorState, errorMessage, Loading } from '../../components/states';
import { navigate, useLocation } from '../../router/location';

function projectsOf(data: { projects?: Project[] } | Project[]): Project[] {
  return Array.isArray(data) ? data : (data.projects ?? []);
}

export function ProjectsSection() {
  const { api, projectId } = useScope();
  const loc = useLocation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const can = useCan('admin', 'create projects');
  const projects = useQuery({
    queryKey: ['projects', projectId],
    queryFn: ({ signal }) => api.get<{ projects?: Project[] } | Project[]>('/api/projects', undefined, signal),
  });
  const open = (id: string) => navigate(`${loc.path}?project_id=${encodeURIComponent(id)}`);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const project = await api.post<Project>('/api/projects', { name: name.trim() });
      setName('');
      // The switcher reads the project list from /api/me.
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      open(project.id);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="projects-title">
      <h2 id="projects-title">Projects</h2>
      <p className="muted">
        Each project has its own events, budgets and keys. The switcher at the top changes project on any page.
      </p>
      {projects.isPending ? (
        <Loading />
      ) : projects.error ? (
        <ErrorState error={projects.error} onRetry={() => projects.refetch()} />
      ) : (
        <ul className="simple-list">
          {projectsOf(projects.data).map((p) => (
            <li key={p.id}>
              <span>
                <strong>{p.name}</strong> <span className="muted small">created {formatDate(p.created_at)}</span>
              </span>
              {p.id === projectId ? (
                <span className="badge">current</span>
              ) : (
                <button type="button" className="btn btn-small" onClick={() => open(p.id)}>
                  Switch to {p.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Gate permission={can}>
        <form className="form form-inline" onSubmit={create} aria-label="New project">
          <label className="field field-grow">
            <span>New project name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="staging" />
          </label>
          <button type="submit" className="btn" disabled={busy || !name.trim()}>
            Create project
          </button>
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
