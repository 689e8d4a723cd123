import { useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type ReactNode, useState } from 'react';
import { request } from '../api/client';
import { useScope } from '../api/session';
import { Link } from '../router/link';
import { hrefWithShared, navigate, useLocation } from '../router/location';
import { OrgSwitch } from './org-switch';

interface NavPage {
  path: string;
  label: string;
}

export function Shell({ pages, current, children }: { pages: readonly NavPage[]; current: string; children: ReactNode }) {
  const { me, projectId } = useScope();
  const loc = useLocation();
  const queryClient = useQueryClient();
  const [leaving, setLeaving] = useState(false);
  const projects = me.projects?.length ? me.projects : [me.project];

  const switchProject = (e: ChangeEvent<HTMLSelectElement>) => {
    // Filters name models and features of the old project: a new project starts unfiltered.
    navigate(`${loc.path}?project_id=${encodeURIComponent(e.target.value)}`);
  };

  const logOut = async () => {
    setLeaving(true);
    try {
      await request('/api/auth/logout', { method: 'POST', body: {} });
    } finally {
      queryClient.clear();
      navigate('/login', { replace: true });
      setLeaving(false);
    }
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link className="brand" href={hrefWithShared('/', loc.params)}>
          <span className="brand-mark" aria-hidden="true" />
          LLMLab
        </Link>
        <OrgSwitch />
        <label className="project-switch">
          <span className="label-text">Project</span>
          <select value={projectId} onChange={switchProject} aria-label="Project">
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <div className="topbar-user">
          <span className="user-email" title={me.user.email}>
            {me.user.email}
          </span>
          <span className="badge" title={`Your role in ${me.org.name}`}>
            {me.role}
          </span>
          <button type="button" className="btn btn-small" onClick={logOut} disabled={leaving}>
            Log out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {pages.map((p) => (
            <li key={p.path}>
              <Link href={hrefWithShared(p.path, loc.params)} aria-current={p.path === current ? 'page' : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
