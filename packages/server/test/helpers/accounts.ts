import type { TestApp } from './test-app.js';

let n = 0;

export interface TestTenant {
  token: string;
  apiKey: string;
  projectId: string;
  orgId: string;
  email: string;
}

/** Signs up a new user with its own org and project, in-process. */
export async function newTenant(app: TestApp): Promise<TestTenant> {
  const email = `t${Date.now()}-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await app.request('/api/auth/signup', { body: { email, password: 'hunter2hunter2' } });
  if (res.status !== 201) throw new Error(`signup ${res.status}: ${await res.text()}`);
  const b = (await res.json()) as { token: string; api_key: string; project: { id: string }; org: { id: string } };
  return { token: b.token, apiKey: b.api_key, projectId: b.project.id, orgId: b.org.id, email };
}

/** Tracks one event with the tenant's ingest key; returns the JSON answer. */
export async function track(app: TestApp, key: string, event: Record<string, unknown>) {
  const res = await app.request('/api/events/track', { token: key, body: event });
  if (res.status >= 300) throw new Error(`track ${res.status}: ${await res.text()}`);
  return (await res.json()) as { event_id: string; cost: number | null; cost_nanos: number | null; priced: boolean; duplicate: boolean };
}

export async function json<T = Record<string, unknown>>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

export interface TestMember {
  token: string;
  userId: string;
  email: string;
  password: string;
}

/** Invites a new person into the org of `adminToken` with `role` and accepts as them (a new account), in-process. */
export async function addMember(app: TestApp, adminToken: string, role: 'owner' | 'admin' | 'member' | 'viewer'): Promise<TestMember> {
  const email = `m${Date.now()}-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const invited = await app.request('/api/invitations', { token: adminToken, body: { email, role } });
  if (invited.status !== 201) throw new Error(`invite ${invited.status}: ${await invited.text()}`);
  const token = new URL(((await invited.json()) as { invite_url: string }).invite_url).searchParams.get('token');
  const password = `${role}-password-${n}`;
  const accepted = await app.request('/api/invitations/accept', { body: { token, password, name: `A ${role}` } });
  if (accepted.status !== 200) throw new Error(`accept ${accepted.status}: ${await accepted.text()}`);
  const b = (await accepted.json()) as { token: string; user: { id: string } };
  return { token: b.token, userId: b.user.id, email, password };
}
