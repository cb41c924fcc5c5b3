import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';
import { apiTags } from './api-tags.ts';
import { openApiPath } from './openapi-path.ts';
import { operationMethods } from './openapi-types.ts';

const api = useApi();

interface DocumentOperation {
  readonly tags?: string[];
  readonly summary?: string;
  readonly requestBody?: { content: Record<string, { example?: unknown }> };
  readonly responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
}

interface Document {
  readonly tags: Array<{ name: string }>;
  readonly paths: Record<string, Partial<Record<string, DocumentOperation>>>;
}

async function openApiDocument(): Promise<Document> {
  const response = await api().app.request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

function operationsOf(document: Document) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    operationMethods.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ key: `${method.toUpperCase()} ${path}`, operation }] : [];
    }),
  );
}

/**
 * What the app serves that is not an API route: middleware (`ALL`), the console's and the
 * facade's catch-alls (`*`), Swagger UI's own files, and the queue dashboard's (bull-board's
 * files and the JSON its page reads: the dashboard itself is documented, at /admin/queues).
 */
function isApiRoute(route: { method: string; path: string }): boolean {
  return (
    route.method !== 'ALL' &&
    !route.path.includes('*') &&
    route.path !== '/docs/assets/:name' &&
    !route.path.startsWith('/admin/queues/')
  );
}

describe('GET /openapi.json', () => {
  it('gives every operation a group and a one-line summary, the groups in order, admin last', async () => {
    const document = await openApiDocument();
    expect(document.tags.map((tag) => tag.name)).toEqual([
      'Prompts',
      'Streams',
      'Attachments',
      'Batches',
      'Conversations',
      'Schemas',
      'Models',
      'Tools',
      'Usage',
      'Webhooks',
      'OpenAI-compatible',
      'Health and metrics',
      'Docs',
      'Admin',
    ]);
    const tagNames = apiTags.map((tag) => tag.name as string);
    for (const { key, operation } of operationsOf(document)) {
      expect(operation.tags, key).toHaveLength(1);
      expect(tagNames, key).toContain(operation.tags?.[0]);
      expect(operation.summary?.trim(), key).toBeTruthy();
      expect(operation.summary, key).not.toContain('\n');
    }
    // The paths come in the groups' order, so Swagger UI lists Prompts first and Admin last.
    const groupIndexes = operationsOf(document).map(({ operation }) =>
      tagNames.indexOf(operation.tags?.[0] ?? ''),
    );
    expect(groupIndexes).toEqual([...groupIndexes].sort((left, right) => left - right));
  });

  it('has an example for every route, on its request body or its success response', async () => {
    const document = await openApiDocument();
    for (const { key, operation } of operationsOf(document)) {
      const requestExamples = Object.values(operation.requestBody?.content ?? {}).filter(
        (media) => media.example !== undefined,
      );
      const successExamples = Object.entries(operation.responses)
        .filter(([status]) => status.startsWith('2'))
        .flatMap(([, response]) => Object.values(response.content ?? {}))
        .filter((media) => media.example !== undefined);
      expect(requestExamples.length + successExamples.length, key).toBeGreaterThan(0);
      if (operation.requestBody && key !== 'POST /v1/attachments') {
        // A JSON body is shown by example; raw uploads are bytes.
        expect(requestExamples.length, `${key} request`).toBeGreaterThan(0);
      }
    }
  });

  it('lists every route the app serves and no other, the OpenAI-compatible ones and /metrics too', async () => {
    const document = await openApiDocument();
    const documented = new Set(operationsOf(document).map(({ key }) => key));
    const served = new Set(
      api()
        .app.routes.filter(isApiRoute)
        .map((route) => `${route.method} ${openApiPath(route.path)}`),
    );
    expect(served.size).toBeGreaterThan(30);
    expect([...served].filter((key) => !documented.has(key))).toEqual([]);
    // A hand-written path whose route went away (or never was) would send callers to a 404.
    expect([...documented].filter((key) => !served.has(key))).toEqual([]);
    expect(documented).toContain('POST /openai/v1/chat/completions');
    expect(documented).toContain('GET /openai/v1/models');
    expect(documented).toContain('GET /metrics');
  });
});
