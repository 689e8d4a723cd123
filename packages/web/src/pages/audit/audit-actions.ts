import type { AuditAction } from '../../api/types';

/**
 * Every action of the audit log in words. The Record type makes a new action in core a compile
 * error here (core's AUDIT_ACTIONS is not imported: it would bundle zod into the dashboard).
 */
export const ACTION_LABELS: Record<AuditAction, string> = {
  'org.updated': 'Organisation renamed',
  'org.deleted': 'Organisation deleted',
  'project.created': 'Project created',
  'project.updated': 'Project changed',
  'member.joined': 'Member joined',
  'member.role_changed': 'Role changed',
  'member.removed': 'Member removed',
  'invitation.created': 'Invitation sent',
  'invitation.revoked': 'Invitation revoked',
  'invitation.accepted': 'Invitation accepted',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'budget.created': 'Budget created',
  'budget.updated': 'Budget changed',
  'budget.deleted': 'Budget deleted',
  'rate_limit.created': 'Rate limit created',
  'rate_limit.updated': 'Rate limit changed',
  'rate_limit.deleted': 'Rate limit deleted',
  'alert_channel.created': 'Alert channel added',
  'alert_channel.updated': 'Alert channel changed',
  'alert_channel.deleted': 'Alert channel deleted',
  'price_override.created': 'Price override added',
  'price_override.deleted': 'Price override deleted',
  'prices.repriced': 'Events re-priced',
  'retention.applied': 'Expired events removed',
  'gateway_settings.updated': 'Gateway settings changed',
  'provider_key.set': 'Provider key set',
  'provider_key.deleted': 'Provider key deleted',
  'billing_connection.set': 'Billing admin key set',
  'billing_connection.updated': 'Billing alert threshold changed',
  'billing_connection.deleted': 'Billing connection removed',
};

export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[];

export function actionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? action;
}
