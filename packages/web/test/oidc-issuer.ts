/**
 * A real OpenID Connect provider for the single sign-on tests: `oidc-provider` with its built-in
 * login and consent pages, on a loopback port, named `http://localhost:<port>` so that it is
 * another site than LLMLab's `http://127.0.0.1:<port>` and the SameSite rules apply as in production.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'llmlab';
export const CLIENT_SECRET = 'llmlab-test-client-secret';
/** Another application registered at the same provider, with LLMLab's callback among its redirect URIs. */
export const OTHER_CLIENT_ID = 'other-app';
const OTHER_CLIENT_SECRET = 'other-app-test-client-secret';

export interface TestIssuer {
  /** The issuer URL, to give LLMLab as LLMLAB_OIDC_ISSUER. */
  issuer: string;
  /** Registers both clients once LLMLab's callback address is known (LLMLab starts on a free port after the provider). */
  register(redirectUri: string): void;
  /**
   * While set, the provider issues codes and tokens to this other client whatever client LLMLab
   * says it is: what LLMLab gets is an ID token genuinely signed by the issuer for another audience.
   */
  issueFor: string | null;
  /**
   * While set, the provider's answer reaches LLMLab with its `state` changed, as in a link an
   * attacker made; `genuineAnswer` keeps the address it really sent the browser to.
   */
  tamperState: boolean;
  genuineAnswer: string | null;
  close(): Promise<void>;
}

/** Every person may sign in with any password; the login name is the email, which the provider reports as verified. */
export async function startTestIssuer(): Promise<TestIssuer> {
  let provider: Provider | null = null;
  const server: Server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503).end('not registered yet');
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const idp: TestIssuer = {
    issuer,
    issueFor: null,
    tamperState: false,
    genuineAnswer: null,
    register(redirectUri) {
      const client = (id: string, secret: string) => ({
        client_id: id,
        client_secret: secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'] as ['code'],
        token_endpoint_auth_method: 'client_secret_basic' as const,
      });
      provider = new Provider(issuer, {
        clients: [client(CLIENT_ID, CLIENT_SECRET), client(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)],
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: sub, email_verified: true, name: sub.split('@')[0] }) }),
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ['oidc-provider-test-cookie-key'] },
      });
      provider.use(async (ctx, next) => {
        if (idp.issueFor === OTHER_CLIENT_ID) {
          if (ctx.path === '/auth') ctx.query = { ...ctx.query, client_id: OTHER_CLIENT_ID };
          if (ctx.path === '/token') ctx.req.headers.authorization = `Basic ${Buffer.from(`${OTHER_CLIENT_ID}:${OTHER_CLIENT_SECRET}`).toString('base64')}`;
        }
        await next();
        const location = ctx.response.get('location') ?? '';
        if (idp.tamperState && location.startsWith(redirectUri)) {
          idp.genuineAnswer = location;
          const tampered = new URL(location);
          tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
          ctx.set('location', tampered.href);
        }
      });
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  return idp;
}
