import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { problemCatalogue } from '@llmq/contracts';
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problems/problems.ts';
import type { ApiEnv } from '../server/api-env.ts';

/** Paths the API answers itself: never files of the console, never its page. */
const apiPaths = /^\/(v1|openai|admin|docs|openapi\.json|metrics|healthz|readyz)(\/|$)/;

// The console loads only its own files and talks only to this origin.
const pageHeaders = {
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serve the web console (apps/web's build) from `folder`: its files as they are, and its page
 * for any other path a browser asks for as HTML, so that the console's own links (/prompts/…,
 * /batches/…) load on reload. Everything else falls through to the API's 404 problem.
 */
export function mountWebConsole(app: OpenAPIHono<ApiEnv>, folder: string): void {
  // Made once the folder exists: the console may be built after the api has started.
  let files: MiddlewareHandler<ApiEnv> | undefined;
  const staticFiles = () => {
    if (!files && existsSync(folder)) files = serveStatic<ApiEnv>({ root: folder });
    return files;
  };
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (apiPaths.test(path)) return next();
    const file = await staticFiles()?.(c, async () => undefined);
    if (file instanceof Response) {
      // Vite names assets by their content hash: a name never changes what it holds.
      file.headers.set(
        'cache-control',
        path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      if (file.headers.get('content-type')?.startsWith('text/html')) {
        for (const [name, value] of Object.entries(pageHeaders)) file.headers.set(name, value);
      }
      file.headers.set('x-content-type-options', 'nosniff');
      return file;
    }
    const lastSegment = path.slice(path.lastIndexOf('/') + 1);
    const wantsPage = (c.req.header('accept') ?? '').includes('text/html');
    if (!wantsPage || lastSegment.includes('.')) return next();
    let page: string;
    try {
      page = await readFile(join(folder, 'index.html'), 'utf8');
    } catch {
      throw new ProblemError(
        problemCatalogue.webConsoleNotBuilt,
        `The web console is not built in ${folder} (LLMQ_WEB_DIR): run \`pnpm build\`, or start with \`npm start\`, which builds it`,
      );
    }
    return c.html(page, 200, pageHeaders);
  });
}
