import type { ChangeEvent } from 'react';
import { useScope } from '../api/session';
import { navigate, useLocation } from '../router/location';

/**
 * Switching org is switching project: the URL names a project, the server finds its org and the
 * caller's role there. Each org opens on its default project, on the same page.
 */
export function OrgSwitch() {
  const { me } = useScope();
  const loc = useLocation();
  const orgs = me.orgs ?? [];

  if (orgs.length < 2) {
    return (
      <span className="org-switch">
        <span className="label-text">Organisation</span>
        <span className="org-name" data-testid="org-name">
          {me.org.name}
        </span>
      </span>
    );
  }
  const switchOrg = (e: ChangeEvent<HTMLSelectElement>) => {
    const target = orgs.find((o) => o.id === e.target.value)?.default_project_id;
    if (target) navigate(`${loc.path}?project_id=${encodeURIComponent(target)}`);
  };
  return (
    <label className="org-switch">
      <span className="label-text">Organisation</span>
      <select value={me.org.id} onChange={switchOrg} aria-label="Organisation">
        {orgs.map((o) => (
          // An org without a project has nothing to open yet.
          <option key={o.id} value={o.id} disabled={!o.default_project_id}>
            {o.name} ({o.role}){o.default_project_id ? '' : ': no project'}
          </option>
        ))}
      </select>
    </label>
  );
}
