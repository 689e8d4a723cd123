import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const load = (env: Record<string, string>) => loadConfig(env, { secret: 'x'.repeat(32), dataDir: '.' });
const OIDC = { LLMLAB_OIDC_ISSUER: 'https://login.example.com/realms/acme', LLMLAB_OIDC_CLIENT_ID: 'llmlab', LLMLAB_OIDC_ALLOWED_DOMAINS: 'Acme.com, @acme.io' };

describe('single sign-on settings', () => {
  it('are off unless LLMLAB_OIDC_ISSUER is set', () => {
    expect(load({}).oidc).toBeUndefined();
  });

  it('read the issuer verbatim, the domains in lower case, and member as the default role', () => {
    expect(load({ ...OIDC, LLMLAB_OIDC_CLIENT_SECRET: 'shh' }).oidc).toEqual({
      issuer: 'https://login.example.com/realms/acme', clientId: 'llmlab', clientSecret: 'shh', allowedDomains: ['acme.com', 'acme.io'], defaultRole: 'member', orgId: undefined,
    });
    expect(load({ ...OIDC, LLMLAB_OIDC_DEFAULT_ROLE: 'viewer', LLMLAB_OIDC_ORG_ID: 'org1' }).oidc).toMatchObject({ defaultRole: 'viewer', orgId: 'org1' });
  });

  it('name the setting that is missing or wrong', () => {
    expect(() => load({ ...OIDC, LLMLAB_OIDC_CLIENT_ID: '' })).toThrow('invalid setting LLMLAB_OIDC_CLIENT_ID: required when LLMLAB_OIDC_ISSUER is set');
    expect(() => load({ ...OIDC, LLMLAB_OIDC_ALLOWED_DOMAINS: '' })).toThrow('invalid setting LLMLAB_OIDC_ALLOWED_DOMAINS');
    expect(() => load({ ...OIDC, LLMLAB_OIDC_ALLOWED_DOMAINS: 'acme.com, not a domain' })).toThrow('invalid setting LLMLAB_OIDC_ALLOWED_DOMAINS');
    expect(() => load({ ...OIDC, LLMLAB_OIDC_DEFAULT_ROLE: 'owner' })).toThrow('invalid setting LLMLAB_OIDC_DEFAULT_ROLE');
    expect(() => load({ LLMLAB_OIDC_CLIENT_ID: 'llmlab' })).toThrow('invalid setting LLMLAB_OIDC_ISSUER: required when');
  });

  it('take an http:// issuer only on this machine', () => {
    expect(() => load({ ...OIDC, LLMLAB_OIDC_ISSUER: 'http://login.example.com' })).toThrow('invalid setting LLMLAB_OIDC_ISSUER: must be an https:// URL');
    expect(load({ ...OIDC, LLMLAB_OIDC_ISSUER: 'http://localhost:9000' }).oidc?.issuer).toBe('http://localhost:9000');
    expect(load({ ...OIDC, LLMLAB_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe('http://127.0.0.1:9000');
  });
});
