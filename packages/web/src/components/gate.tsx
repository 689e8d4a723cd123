import type { ReactNode } from 'react';
import type { Permission } from '../api/permissions';

/** Why the controls next to it are greyed out; nothing when they are usable. */
export function PermissionNote({ permission }: { permission: Permission }) {
  if (permission.allowed) return null;
  return (
    <p className="permission-note" data-testid="permission-note">
      {permission.reason}
    </p>
  );
}

/**
 * Controls the role may not use stay on screen, disabled, with the reason above them: people see
 * what exists and whom to ask, rather than wondering where a feature went.
 */
export function Gate({ permission, children }: { permission: Permission; children: ReactNode }) {
  if (permission.allowed) return children;
  return (
    <fieldset className="gate" disabled>
      <PermissionNote permission={permission} />
      {children}
    </fieldset>
  );
}
