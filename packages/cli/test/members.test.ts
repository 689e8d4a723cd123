import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, adminKey, cliUser, freshEmail, inviteToken, runCli } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

/** The owner of a fresh org, with a CLI holding a key of every scope. */
async function newOwner() {
  const account = await signupUser(server.baseUrl);
  return { ...account, cli: cliUser(server.baseUrl, await adminKey(server.baseUrl, account.token)) };
}

/** Invites a person with the owner's CLI and accepts as them; answers their email and session. */
async function addMember(owner: Awaited<ReturnType<typeof newOwner>>, name: string, role = 'member') {
  const email = freshEmail(name.split(' ')[0].toLowerCase());
  const invited = await owner.cli.run(['members', 'invite', email, '--role', role]);
  expect(invited.code).toBe(0);
  const session = await acceptInvitation(server.baseUrl, inviteToken(invited.stdout), name);
  return { email, session };
}

/** The table row of one email, split into its cells. */
function rowOf(stdout: string, email: string): string[] | undefined {
  return stdout
    .split('\n')
    .find((line) => line.trim().startsWith(email))
    ?.trim()
    .split(/\s{2,}/);
}

const TODAY = new Date().toISOString().slice(0, 10);

describe('llmlab members', () => {
  it('lists the owner, then the invited person once they accept, with name, role and join date', async () => {
    const owner = await newOwner();
    const before = await owner.cli.run(['members', '--tz', 'UTC']);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^\s*Email\s+Name\s+Role\s+Joined\s+Last seen\n/);
    expect(rowOf(before.stdout, owner.email)).toEqual([owner.email, '-', 'owner', TODAY, 'just now']);

    const email = freshEmail('ana');
    const invited = await owner.cli.run(['members', 'invite', email]);
    expect(invited.code).toBe(0);
    expect(invited.stdout).toMatch(
      new RegExp(`^✔ Invited ${email} as member; send them this link, which works once, until \\d{4}-\\d{2}-\\d{2}:\\n  ${server.baseUrl}/invite\\?token=llmi_\\S+\\n$`),
    );
    const pending = await owner.cli.run(['members', 'invitations', '--tz', 'UTC']);
    expect(pending.stdout).toMatch(/^\s*Email\s+Role\s+Invited by\s+Sent\s+Expires\s+ID\n/);
    expect(rowOf(pending.stdout, email)?.slice(0, 2)).toEqual([email, 'member']);

    await acceptInvitation(server.baseUrl, inviteToken(invited.stdout), 'Ana Lima');
    const after = await owner.cli.run(['members', '--tz', 'UTC']);
    expect(rowOf(after.stdout, email)).toEqual([email, 'Ana Lima', 'member', TODAY, 'never']);
    expect((await owner.cli.run(['members', 'invitations'])).stdout).toBe(
      'No pending invitations; invite someone with `llmlab members invite EMAIL`.\n',
    );

    const json = JSON.parse((await owner.cli.run(['members', '--json'])).stdout);
    expect(json.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [owner.email, 'owner'],
      [email, 'member'],
    ]);
  });

  it("changes a member's role, and the list shows the new one", async () => {
    const owner = await newOwner();
    const ana = await addMember(owner, 'Ana Lima');
    const changed = await owner.cli.run(['members', 'role', ana.email, 'admin']);
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(0);
    expect(changed.stdout).toBe(`✔ ${ana.email} is now admin (was member)\n`);
    expect(rowOf((await owner.cli.run(['members'])).stdout, ana.email)?.[2]).toBe('admin');

    const again = await owner.cli.run(['members', 'role', ana.email.toUpperCase(), 'admin']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${ana.email} is already admin; nothing changed.\n`);

    const viewer = JSON.parse((await owner.cli.run(['members', 'role', ana.email, 'viewer', '--json'])).stdout);
    expect(viewer).toMatchObject({ email: ana.email, role: 'viewer', name: 'Ana Lima' });
  });

  it('removes a member, who then no longer shows', async () => {
    const owner = await newOwner();
    const ana = await addMember(owner, 'Ana Lima');
    const bob = await addMember(owner, 'Bob Stone', 'viewer');
    const removed = await owner.cli.run(['members', 'remove', ana.email]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`✔ Removed ${ana.email} (member) from the org; the API keys they made no longer work.\n`);
    const list = (await owner.cli.run(['members'])).stdout;
    expect(rowOf(list, ana.email)).toBeUndefined();
    expect(rowOf(list, bob.email)?.[2]).toBe('viewer');

    const again = await owner.cli.run(['members', 'remove', ana.email]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Error: ${ana.email} is not a member of this org; \`llmlab members\` lists them.\n`);
  });

  it("shows the server's refusal when an admin's key tries to make an owner, and changes nothing", async () => {
    const owner = await newOwner();
    const admin = await addMember(owner, 'Ada Admin', 'admin');
    const bob = await addMember(owner, 'Bob Stone');
    const adminCli = cliUser(server.baseUrl, await adminKey(server.baseUrl, admin.session));

    const refused = await adminCli.run(['members', 'role', bob.email, 'owner']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('Error: Only an owner can make someone an owner (this API key acts as admin).\n');
    expect(rowOf((await owner.cli.run(['members'])).stdout, bob.email)?.[2]).toBe('member');

    const invite = await adminCli.run(['members', 'invite', freshEmail('carol'), '--role', 'owner']);
    expect(invite.code).toBe(1);
    expect(invite.stderr).toBe('Error: Only an owner can invite an owner (this API key acts as admin).\n');

    // Below owner, an admin manages members.
    expect((await adminCli.run(['members', 'role', bob.email, 'viewer'])).code).toBe(0);
  });

  it('refuses to demote the last owner (409), as the server says', async () => {
    const owner = await newOwner();
    // A key acts as admin at most, and only an owner changes an owner: the owner's session token
    // (which the server takes as a bearer credential too) stands in for an owner's credential.
    const asOwner = cliUser(server.baseUrl, owner.token);
    const { code, stderr } = await asOwner.run(['members', 'role', owner.email, 'admin']);
    expect(code).toBe(1);
    expect(stderr).toBe('Error: The org must keep at least one owner: make another member owner first.\n');
    expect(rowOf((await owner.cli.run(['members'])).stdout, owner.email)?.[2]).toBe('owner');
  });

  it('revokes a pending invitation by email, and its link stops working', async () => {
    const owner = await newOwner();
    const email = freshEmail('dan');
    const invited = await owner.cli.run(['members', 'invite', email, '--role', 'viewer', '--json']);
    const invitation = JSON.parse(invited.stdout);
    expect(invitation).toMatchObject({ email, role: 'viewer', emailed: false });

    const revoked = await owner.cli.run(['members', 'revoke-invite', email]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`✔ Revoked the invitation of ${email} (viewer); its link no longer works.\n`);
    await expect(acceptInvitation(server.baseUrl, inviteToken(invitation.invite_url), 'Dan')).rejects.toThrow('accepting failed: 410');

    const unknown = await owner.cli.run(['members', 'revoke-invite', invitation.id]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`Error: No pending invitation has the id or email "${invitation.id}"; \`llmlab members invitations\` lists them.\n`);
  });

  it('refuses an unknown role or a malformed email with exit 2, and an unknown member with exit 1', async () => {
    const owner = await newOwner();
    const role = await owner.cli.run(['members', 'role', owner.email, 'boss']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("argument 'role'. Allowed choices are owner, admin, member, viewer.");
    const inviteRole = await owner.cli.run(['members', 'invite', freshEmail('eve'), '--role', 'superuser']);
    expect(inviteRole.code).toBe(2);
    expect(inviteRole.stderr).toContain("argument 'superuser' is invalid. Allowed choices are owner, admin, member, viewer.");
    const email = await runCli(['members', 'remove', 'not-an-email']);
    expect(email.code).toBe(2);
    expect(email.stderr).toContain('"not-an-email" is not an email address; use one such as ana@example.com.');

    const stranger = freshEmail('nobody');
    const unknown = await owner.cli.run(['members', 'role', stranger, 'admin']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`Error: ${stranger} is not a member of this org; \`llmlab members\` lists them.\n`);
  });
});
