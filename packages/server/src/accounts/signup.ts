import { AppError } from '@llmlab/core';
import { uuidv7 } from 'uuidv7';
import { hashPassword } from '../auth/secrets.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { createApiKey } from '../keys/create-key.js';
import { createSession } from './create-session.js';

export interface SignupInput {
  email: string;
  password: string;
  name?: string;
}

/** Creates a user, their org, a default project and its first key (ingest + read, shown once). */
export async function signup({ ctx, input }: { ctx: AppContext; input: SignupInput }) {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const now = ctx.now();
  const userId = uuidv7();
  const orgId = uuidv7();
  const projectId = uuidv7();
  const orgName = input.name ? `${input.name}'s org` : email.split('@')[0];
  try {
    await ctx.db.transaction(async (trx) => {
      await trx.insertInto('users').values({ id: userId, email, password_hash: passwordHash, name: input.name ?? null, created_at: now }).execute();
      await trx.insertInto('orgs').values({ id: orgId, name: orgName, created_at: now }).execute();
      await trx.insertInto('memberships').values({ org_id: orgId, user_id: userId, role: 'owner', created_at: now, last_seen_at: null }).execute();
      await trx.insertInto('projects').values({ id: projectId, org_id: orgId, name: 'Default', created_at: now }).execute();
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `an account with email ${email} already exists; log in instead`);
    throw err;
  }
  const key = await createApiKey({ ctx, projectId, input: { name: 'Default key', scopes: ['ingest', 'read'], creator: { user_id: userId, email } } });
  const session = await createSession(ctx, userId);
  return {
    token: session.token,
    csrf_token: session.csrfToken,
    api_key: key.key,
    user: { id: userId, email, name: input.name ?? null },
    org: { id: orgId, name: orgName },
    project: { id: projectId, name: 'Default' },
  };
}
