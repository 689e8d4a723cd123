import { z } from 'zod';
import { MeAnswer } from './auth.js';

/** GET /api/session: whether the caller is signed in and, if so, who; a signed-out visit is an answer (200), not a 401. */
export const SessionAnswer = z
  .strictObject({
    authenticated: z.boolean(),
    me: MeAnswer.nullable().describe('The caller as GET /api/me describes it; null when signed out'),
    sso: z
      .strictObject({ enabled: z.boolean().describe('Single sign-on is set up: GET /api/auth/sso/start signs in through the identity provider') })
      .describe("The server's sign-in options, for the log-in page"),
  })
  .meta({ id: 'Session' });
export type SessionAnswer = z.infer<typeof SessionAnswer>;
