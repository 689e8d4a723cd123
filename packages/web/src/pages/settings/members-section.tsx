import { useScope } from '../../api/session';

/** The server has no members endpoint: this lists what /api/me says about the signed-in user. */
export function MembersSection() {
  const { me } = useScope();
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <ul className="simple-list" data-testid="members">
        <li>
          <span>
            <strong>{me.user.name || me.user.email}</strong>
            {me.user.name && <span className="muted small"> {me.user.email}</span>}
          </span>
          <span className="badge">{me.role}</span>
        </li>
      </ul>
      <p className="muted small">
        Organisation <strong>{me.org.name}</strong>. This server does not list other members or send invitations yet, so only your
        own membership is shown.
      </p>
    </section>
  );
}
