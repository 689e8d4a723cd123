import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { request } from '../../api/client';
import { rememberFirstKey } from '../../api/first-key';
import type { Me, Session } from '../../api/types';
import { errorMessage } from '../../components/states';
import { Link } from '../../router/link';
import { navigate } from '../../router/location';

interface AuthResponse {
  api_key?: string;
  project: { id: string };
}

export function AuthPage({ mode }: { mode: 'login' | 'signup' }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isSignup = mode === 'signup';
  // Whether the server has single sign-on set up; it does not change while the page is open.
  const sso = useQuery({
    queryKey: ['sso'],
    queryFn: async ({ signal }) => (await request<Session>('/api/session', { signal })).sso.enabled,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = isSignup ? { email, password, ...(name.trim() ? { name: name.trim() } : {}) } : { email, password };
      const res = await request<AuthResponse>(isSignup ? '/api/auth/signup' : '/api/auth/login', { method: 'POST', body });
      if (res.api_key) rememberFirstKey(queryClient, res.api_key);
      const me = await request<Me>('/api/me', { query: { project_id: res.project.id } });
      queryClient.setQueryData(['me', res.project.id], me);
      navigate(`/?project_id=${encodeURIComponent(res.project.id)}`, { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <div className="auth-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          LLMLab
        </div>
        <h1>{isSignup ? 'Create your account' : 'Log in'}</h1>
        <p className="muted">
          {isSignup ? 'See what your LLM calls cost, where the money goes, and how to spend less.' : 'Welcome back.'}
        </p>
        <form onSubmit={submit} className="form" noValidate={false}>
          {isSignup && (
            <label className="field">
              <span>Name (optional)</span>
              <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
            </label>
          )}
          <label className="field">
            <span>Email</span>
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              type="password"
              required
              minLength={isSignup ? 8 : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete={isSignup ? 'new-password' : 'current-password'}
            />
            {isSignup && <small className="muted">At least 8 characters.</small>}
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Please wait…' : isSignup ? 'Sign up' : 'Log in'}
          </button>
        </form>
        {!isSignup && sso.data && (
          <>
            <p className="auth-or muted">or</p>
            {/* A plain link: the server redirects to the identity provider, which a fetch could not follow. */}
            <a className="btn btn-block" href="/api/auth/sso/start">
              Sign in with SSO
            </a>
          </>
        )}
        <p className="auth-switch">
          {isSignup ? (
            <>
              Already have an account? <Link href="/login">Log in</Link>
            </>
          ) : (
            <>
              New to LLMLab? <Link href="/signup">Create an account</Link>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
