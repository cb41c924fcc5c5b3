import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../server/api-env.ts';
import { apiTags, tagOfPath } from './api-tags.ts';
import { handWrittenPaths } from './hand-written-paths.ts';
import { openApiPath } from './openapi-path.ts';
import { type OpenApiDocument, operationMethods, type PathItem } from './openapi-types.ts';
import { type RouteExample, routeExamples } from './route-examples.ts';

type Operation = NonNullable<PathItem['get']>;

const documentInfo = {
  openapi: '3.1.0',
  info: {
    title: 'llmq',
    version: '0.1.0',
    description:
      'LLM prompts as durable jobs: queue prompts with attachments, follow them live over SSE, replay conversations. OpenAI clients can use the OpenAI-compatible routes at /openai/v1.',
  },
};

/** Put an example on the request body and the first success response that have a body. */
function withExample(operation: Operation, example: RouteExample | undefined): void {
  if (!example) return;
  const requestContent =
    operation.requestBody && 'content' in operation.requestBody
      ? operation.requestBody.content
      : undefined;
  if (example.request !== undefined && requestContent) {
    for (const media of Object.values(requestContent)) media.example = example.request;
  }
  const success = Object.entries(operation.responses ?? {}).find(([status]) =>
    status.startsWith('2'),
  );
  const content = (success?.[1] as { content?: Record<string, { example?: unknown }> } | undefined)
    ?.content;
  const media = content ? Object.values(content)[0] : undefined;
  if (example.response !== undefined && media) media.example = example.response;
}

/**
 * Hand-written paths that a setting may move off this app: `/metrics` is served on a port of its
 * own with LLMQ_METRICS_ACCESS=port, where documenting it here would send callers to a 404.
 */
const servedOnlySometimes = new Set(['/metrics']);

/** The hand-written paths this app serves: those of {@link servedOnlySometimes} only if routed. */
function servedHandWrittenPaths(app: OpenAPIHono<ApiEnv>): Record<string, PathItem> {
  const routed = new Set(app.routes.map((route) => openApiPath(route.path)));
  return Object.fromEntries(
    Object.entries(structuredClone(handWrittenPaths)).filter(
      ([path]) => !servedOnlySometimes.has(path) || routed.has(path),
    ),
  );
}

/**
 * The OpenAPI document: the zod-openapi routes and the hand-written ones, each operation in
 * its group (by path) with its example, the groups in `apiTags`' order, and the paths too,
 * so that Swagger UI shows them in that order.
 */
export function openApiDocument(app: OpenAPIHono<ApiEnv>): OpenApiDocument {
  const generated = app.getOpenAPI31Document(documentInfo);
  const paths: Record<string, PathItem> = {
    ...servedHandWrittenPaths(app),
    ...(generated.paths ?? {}),
  };
  for (const [path, item] of Object.entries(paths)) {
    const tag = tagOfPath(path);
    for (const method of operationMethods) {
      const operation = item[method];
      if (!operation) continue;
      if (tag) operation.tags = [tag];
      withExample(operation, routeExamples[`${method} ${path}`]);
    }
  }
  const order = (path: string) => {
    const tag = tagOfPath(path);
    const index = apiTags.findIndex((each) => each.name === tag);
    return index === -1 ? apiTags.length : index;
  };
  const sorted = Object.keys(paths).sort((left, right) => order(left) - order(right));
  return {
    ...generated,
    tags: apiTags.map((tag) => ({ ...tag })),
    paths: Object.fromEntries(sorted.map((path) => [path, paths[path] as PathItem])),
  };
}
