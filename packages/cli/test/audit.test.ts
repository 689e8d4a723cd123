import { signupUser, startServerProcess } from '@llmlab/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, adminKey, cliUser, freshEmail, inviteToken } from './helpers.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;

beforeAll(async () => {
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
});

async function newOwner() {
  const account = await signupUser(server.baseUrl);
  const key = await adminKey(server.baseUrl, account.token);
  return { ...account, key, cli: cliUser(server.baseUrl, key) };
}

async function send(method: string, path: string, token: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** The rows of the table under its header, each split into its cells. */
function rows(stdout: string): string[][] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  expect(lines[0]).toMatch(/^\s*Time \(UTC\)\s+Actor\s+Action\s+Target\s+Change$/);
  return lines
    .slice(1)
    .filter((line) => !line.startsWith('Showing'))
    .map((line) => line.trim().split(/\s{2,}/));
}

describe('llmlab audit', () => {
  it("shows who invited, joined, changed roles and removed, newest first, with each actor's email or key", async () => {
    const owner = await newOwner();
    const ana = freshEmail('ana');
    const invited = await owner.cli.run(['members', 'invite', ana]);
    await acceptInvitation(server.baseUrl, inviteToken(invited.stdout), 'Ana Lima');
    await owner.cli.run(['members', 'role', ana, 'admin']);
    const anaId = JSON.parse((await owner.cli.run(['members', '--json'])).stdout).find((m: { email: string }) => m.email === ana).user_id;
    // The dashboard changes a role with the owner's session: the log names the owner by email.
    await send('PATCH', `/api/members/${anaId}`, owner.token, { role: 'viewer' });
    expect((await owner.cli.run(['members', 'remove', ana])).code).toBe(0);

    const { code, stdout, stderr } = await owner.cli.run(['audit', '--tz', 'UTC']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const prefix = JSON.parse((await owner.cli.run(['audit', '--json', '--limit', '1'])).stdout)[0].actor.key_prefix as string;
    expect(owner.key.startsWith(prefix)).toBe(true);
    const key = `key ${prefix}`;
    const table = rows(stdout);
    expect(table.map((row) => row.slice(1))).toEqual([
      [key, 'member.removed', `member ${ana}`, `email=${ana} role=viewer`],
      [owner.email, 'member.role_changed', `member ${ana}`, 'role admin → viewer'],
      [key, 'member.role_changed', `member ${ana}`, 'role member → admin'],
      // One transaction, accepted after joined.
      [ana, 'invitation.accepted', `invitation ${ana}`, `email=${ana} role=member`],
      [ana, 'member.joined', `member ${ana}`, expect.stringMatching(/^role=member\b/)],
      // Cut at 60 characters.
      [key, 'invitation.created', `invitation ${ana}`, expect.stringMatching(/^email=\S+@example\.com role=member/)],
      [owner.email, 'api_key.created', 'api_key cli tests', expect.stringMatching(/^name=cli tests prefix=\S+ scopes=admin,ingest,read/)],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    for (const row of table) expect(row[0]).toMatch(new RegExp(`^${today} \\d{2}:\\d{2}$`));

    const byAna = rows((await owner.cli.run(['audit', '--tz', 'UTC', '--actor', ana])).stdout);
    expect(byAna.map((row) => row[2])).toEqual(['invitation.accepted', 'member.joined']);
    const roleChanges = rows((await owner.cli.run(['audit', '--tz', 'UTC', '--action', 'member.role_changed'])).stdout);
    expect(roleChanges.map((row) => row[4])).toEqual(['role admin → viewer', 'role member → admin']);

    const newest = await owner.cli.run(['audit', '--tz', 'UTC', '--limit', '2']);
    expect(rows(newest.stdout).map((row) => row[2])).toEqual(['member.removed', 'member.role_changed']);
    expect(newest.stdout).toMatch(/\nShowing the newest 2 entries; --limit 4 shows more\.\n$/);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const none = await owner.cli.run(['audit', '--from', tomorrow]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No audit entries match these filters.\n');
  });

  it('follows the pages past the 200 the server answers at once, up to --limit', async () => {
    const owner = await newOwner();
    const budget = await send('POST', '/api/budgets', owner.key, { amount: 1, period: 'monthly' });
    for (let amount = 2; amount <= 206; amount++) await send('PATCH', `/api/budgets/${budget.id}`, owner.key, { amount });

    const some = JSON.parse((await owner.cli.run(['audit', '--action', 'budget.updated', '--limit', '203', '--json'])).stdout);
    expect(some).toHaveLength(203);
    expect(some[0].after.amount).toBe(206);
    expect(some[202].after.amount).toBe(4);
    expect(new Set(some.map((e: { id: string }) => e.id)).size).toBe(203);

    const all = await owner.cli.run(['audit', '--tz', 'UTC', '--action', 'budget.updated', '--limit', '1000']);
    const table = rows(all.stdout);
    expect(table).toHaveLength(205);
    expect(table[0][4]).toBe('amount 205 → 206');
    expect(table[204][4]).toBe('amount 1 → 2');
    expect(all.stdout).not.toContain('Showing the newest');
  });

  it('tells a member that the log needs the admin role, and rejects bad filters before any request', async () => {
    const owner = await newOwner();
    const invited = await owner.cli.run(['members', 'invite', freshEmail('max')]);
    const session = await acceptInvitation(server.baseUrl, inviteToken(invited.stdout), 'Max');
    // A member's own keys cannot hold the admin scope: their session stands in for their credential.
    const refused = await cliUser(server.baseUrl, session).run(['audit']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error: This needs the admin role (you are member).\n');

    const action = await owner.cli.run(['audit', '--action', 'member.promoted']);
    expect(action.code).toBe(2);
    expect(action.stderr).toMatch(/^Error: "member\.promoted" is not an audit action; use one of org\.updated, .*member\.role_changed, /);
    const date = await owner.cli.run(['audit', '--from', '2026-13-01']);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('"2026-13-01" is not a date');
    const order = await owner.cli.run(['audit', '--from', '2026-11-30', '--to', '2026-11-01']);
    expect(order.code).toBe(2);
    expect(order.stderr).toBe('Error: --from 2026-11-30 is not before --to 2026-11-01; swap them.\n');
    const limit = await owner.cli.run(['audit', '--limit', '0']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('"0" is not a whole number of 1 or more.');
  });
});
