import type { AppError } from '@llmlab/core';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { STATUS_OF } from '../http/errors.js';

/**
 * The callback is a page the browser navigates to, not an API call: a refused sign-in answers a
 * small page with the reason and the way back, under the status of its error code.
 */
export function ssoErrorPage(c: Context, err: AppError): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(
    html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Single sign-on failed · LLMLab</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#0f172a}p{line-height:1.5}a{color:#4338ca}</style></head>
<body><main><h1>Single sign-on failed</h1><p role="alert" data-code="${err.code}">${err.message}</p><p><a href="/login">Back to log in</a></p></main></body>
</html>`,
    STATUS_OF[err.code],
  );
}
