import type { AuditEntry } from '../../api/types';
import { formatTime } from '../../components/format';
import { actionLabel } from './audit-actions';
import { diffFields } from './audit-diff';

/** `emails`: the org's members by user id, to name a member target that no longer carries its email. */
export function AuditTable({ entries, emails }: { entries: AuditEntry[]; emails: Map<string, string> }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Target</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td className="nowrap">{formatTime(e.at)}</td>
              <td>
                <Actor entry={e} />
              </td>
              <td>
                {actionLabel(e.action)}
                <div className="muted small">
                  <code>{e.action}</code>
                </div>
              </td>
              <td className="break">
                <Target entry={e} emails={emails} />
              </td>
              <td>
                <Changes entry={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Actor({ entry: e }: { entry: AuditEntry }) {
  const who = e.actor.type === 'key' ? `API key ${e.actor.key_prefix ?? e.actor.id}…` : (e.actor.email ?? e.actor.id);
  return (
    <>
      <span className="break">{who}</span>
      {(e.ip || e.user_agent) && (
        <div className="muted small" title={e.user_agent ?? undefined}>
          {e.ip ?? 'unknown address'}
        </div>
      )}
    </>
  );
}

/** The target by a name people recognise (an email, a name), with its id for the rest. */
function Target({ entry: e, emails }: { entry: AuditEntry; emails: Map<string, string> }) {
  const member = e.target_type === 'member' && e.target_id ? emails.get(e.target_id) : undefined;
  const name = nameOf(e.after) ?? nameOf(e.before) ?? member;
  return (
    <>
      <span className="badge">{e.target_type}</span> {name ?? (e.target_id ? <code>{e.target_id}</code> : null)}
    </>
  );
}

function nameOf(v: unknown): string | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  for (const key of ['email', 'name', 'model', 'provider']) {
    if (typeof r[key] === 'string' && r[key]) return r[key] as string;
  }
  return null;
}

function Changes({ entry: e }: { entry: AuditEntry }) {
  const changes = diffFields(e.before, e.after);
  if (changes.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list diff" data-testid="audit-diff">
      {changes.map((c) => (
        <li key={c.field}>
          {c.field && <span className="diff-field">{c.field}: </span>}
          {c.before !== undefined && <del>{c.before}</del>}
          {c.before !== undefined && c.after !== undefined && ' → '}
          {c.after !== undefined && <ins>{c.after}</ins>}
        </li>
      ))}
    </ul>
  );
}
