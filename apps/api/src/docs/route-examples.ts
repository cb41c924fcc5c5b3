import { accountExamples } from './account-examples.ts';
import { batchExamples } from './batch-examples.ts';
import { openAIExamples } from './openai-examples.ts';
import { promptExamples } from './prompt-examples.ts';
import type { RouteExample } from './route-example.ts';
import { serviceExamples } from './service-examples.ts';
import { webhookExamples } from './webhook-examples.ts';

export type { RouteExample } from './route-example.ts';

/**
 * One example per route, by `method path` as in the OpenAPI document. They are given apart
 * from each route's definition: route files stay about behaviour, and the examples of a
 * resource sit side by side in its own file here.
 */
export const routeExamples: Readonly<Record<string, RouteExample>> = {
  ...promptExamples,
  ...batchExamples,
  ...accountExamples,
  ...webhookExamples,
  ...openAIExamples,
  ...serviceExamples,
};
