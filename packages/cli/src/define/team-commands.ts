import { Argument, type Command, Option } from 'commander';
import { dateOrInstant, emailAddress, positiveInt, ROLES, timeZone } from './parsers.js';
import { examples } from './read-commands.js';

const tzOption = () =>
  new Option('--tz <zone>', 'time zone of the dates shown (default: the configured one, else this machine\'s)').argParser(timeZone);

const emailArgument = (description: string) => new Argument('<email>', description).argParser(emailAddress);

export function defineMembers(program: Command): void {
  const members = program
    .command('members')
    .description("list the org's members; invite, remove or change the role of one")
    .addHelpText(
      'after',
      examples('llmlab members', 'llmlab members invite ana@example.com --role admin', 'llmlab members role ana@example.com viewer'),
    );
  // The default subcommand, so that `members role x admin --json` is the role command's --json.
  members
    .command('list', { isDefault: true })
    .description('list the members with their role, join date and last activity (the default)')
    .addOption(tzOption())
    .option('--json', 'print the members as JSON')
    .addHelpText('after', examples('llmlab members', 'llmlab members list --json'))
    .action(async (opts) => (await import('../commands/members.js')).listMembers(opts));
  members
    .command('invite')
    .description('invite a person by email and print the link that lets them join (valid 7 days, once)')
    .addArgument(emailArgument('their email address'))
    .addOption(new Option('--role <role>', 'the role they get').choices(ROLES).default('member'))
    .option('--json', 'print the invitation, link included, as JSON')
    .addHelpText('after', examples('llmlab members invite ana@example.com', 'llmlab members invite ana@example.com --role viewer'))
    .action(async (email, opts) => (await import('../commands/invitations.js')).inviteMember(email, opts));
  members
    .command('remove')
    .description('remove a member from the org; the API keys they made stop working')
    .addArgument(emailArgument('the email of the member'))
    .addHelpText('after', examples('llmlab members remove ana@example.com'))
    .action(async (email) => (await import('../commands/members.js')).removeMember(email));
  members
    .command('role')
    .description("change a member's role (only an owner makes or changes an owner)")
    .addArgument(emailArgument('the email of the member'))
    .addArgument(new Argument('<role>', 'the new role').choices(ROLES))
    .option('--json', 'print the member as JSON')
    .addHelpText('after', examples('llmlab members role ana@example.com admin'))
    .action(async (email, role, opts) => (await import('../commands/members.js')).changeRole(email, role, opts));
  members
    .command('invitations')
    .description('list pending invitations, newest first')
    .addOption(tzOption())
    .option('--json', 'print the invitations as JSON')
    .addHelpText('after', examples('llmlab members invitations'))
    .action(async (opts) => (await import('../commands/invitations.js')).listInvitations(opts));
  members
    .command('revoke-invite')
    .description('revoke a pending invitation by its id or email; its link stops working')
    .argument('<id-or-email>', 'the invitation id (see `llmlab members invitations`) or the email invited')
    .addHelpText('after', examples('llmlab members revoke-invite ana@example.com'))
    .action(async (idOrEmail) => (await import('../commands/invitations.js')).revokeInvitation(idOrEmail));
}

export function defineAudit(program: Command): void {
  program
    .command('audit')
    .description('show who changed what in the org: the audit log, newest first')
    .option('--from <date>', 'first day or instant (YYYY-MM-DD or ISO 8601)', dateOrInstant)
    .option('--to <date>', 'last day, included (YYYY-MM-DD), or an instant (ISO 8601, excluded)', dateOrInstant)
    .option('--actor <email-or-key>', 'only changes by this user (email) or API key (prefix)')
    .option('--action <action>', 'only this action, e.g. member.role_changed or budget.updated')
    .option('--limit <n>', 'entries to show', positiveInt, 50)
    .addOption(tzOption())
    .option('--json', 'print the entries as JSON')
    .addHelpText(
      'after',
      examples('llmlab audit', 'llmlab audit --from 2026-11-01 --actor ana@example.com', 'llmlab audit --action member.removed --limit 200'),
    )
    .action(async (opts) => (await import('../commands/audit.js')).showAuditLog(opts));
}
