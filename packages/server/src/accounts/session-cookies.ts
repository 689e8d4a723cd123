import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppContext } from '../context.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/define-route.js';
import { SESSION_TTL_MS } from './create-session.js';

/** Sets the dashboard's session cookie (httpOnly) and the CSRF cookie its script reads, as login does. */
export function setSessionCookies(c: Context, ctx: AppContext, token: string, csrf: string): void {
  const secure = ctx.config.secureCookies;
  const maxAge = Math.floor(SESSION_TTL_MS / 1000);
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure, maxAge });
  setCookie(c, CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'Lax', path: '/', secure, maxAge });
}
