import { useScope } from './session';
import type { Role } from './types';

/**
 * What the signed-in role may do, so the dashboard greys out what the server would refuse with a
 * 403 and says why. The server stays the judge: this only mirrors its rules.
 */

// core has the same ranking (roleAtLeast), but importing a value from core would bundle zod into
// the dashboard; the Record type keeps this list equal to core's roles.
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

const PLURAL: Record<Role, string> = { owner: 'Owners', admin: 'Admins', member: 'Members', viewer: 'Viewers' };

/** Roles highest first, as pickers list them. */
export const ROLES_DESC: Role[] = ['owner', 'admin', 'member', 'viewer'];

/** What each role does, as a verb phrase ("a viewer reads everything and changes nothing"). */
export const ROLE_HINTS: Record<Role, string> = {
  owner: 'does everything, including changing owners and deleting the org',
  admin: 'manages projects, budgets, alerts, prices, keys and members',
  member: 'tracks events and makes its own API keys',
  viewer: 'reads everything and changes nothing',
};

export function roleAtLeast(role: Role | null, least: Role): boolean {
  return role !== null && RANK[role] >= RANK[least];
}

export interface Permission {
  allowed: boolean;
  /** Why not, in words, naming who can help; null when allowed. */
  reason: string | null;
}

/**
 * Whether `role` may do `action`, which needs the `least` role.
 * @example permission('viewer', 'admin', 'change budgets', 'Acme').reason // "Viewers can't change budgets: ask an admin of Acme."
 */
export function permission(role: Role | null, least: Role, action: string, orgName: string): Permission {
  if (roleAtLeast(role, least)) return { allowed: true, reason: null };
  const who = role ? `${PLURAL[role]} can't` : "You can't";
  // Admins grant every role below owner; only an owner makes another owner.
  const helper = least === 'owner' ? 'an owner' : 'an admin';
  return { allowed: false, reason: `${who} ${action}: ask ${helper} of ${orgName}.` };
}

/** `permission` for the signed-in user in the current org. */
export function useCan(least: Role, action: string): Permission {
  const { me } = useScope();
  return permission(me.role, least, action, me.org.name);
}
