import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
// The path helper alone: the package's index also loads Swagger UI's browser bundle, whose
// code reads globalThis.localStorage (a warning on Node 26, and memory the api never uses).
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { openApiDocument } from '../docs/openapi-document.ts';
import type { OpenApiDocument } from '../docs/openapi-types.ts';
import type { ApiEnv } from '../server/api-env.ts';

const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>llmq API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });</script>
</body>
</html>`;

/**
 * `/openapi.json`, the document of every route, and `/docs`, that document rendered by Swagger
 * UI served from the package (no CDN).
 */
export function registerDocsRoutes(app: OpenAPIHono<ApiEnv>): void {
  const folder = getAbsoluteFSPath();
  // Made at the first request, once every route is registered; routes never change after.
  let document: OpenApiDocument | undefined;
  app.get('/openapi.json', (c) => {
    document ??= openApiDocument(app);
    return c.json(document);
  });
  app.get('/docs', (c) => c.html(page));
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    const type = assets[name];
    if (!type) return c.notFound();
    const body = await readFile(join(folder, name));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
