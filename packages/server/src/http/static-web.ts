import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';

/** Serves the built dashboard at `/`, falling back to index.html for client-side routes. */
export function serveDashboard(app: OpenAPIHono, dist: string | undefined): void {
  if (!dist || !existsSync(join(dist, 'index.html'))) {
    app.get('/', (c) =>
      c.text('LLMLab API is running. The dashboard is not built: run `npm run build -w @llmlab/web` (npm start does it for you).', 200),
    );
    return;
  }
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/*', serveStatic({ root: dist }));
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/proxy/') || c.req.path.startsWith('/v1/')) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    return c.html(index);
  });
}
