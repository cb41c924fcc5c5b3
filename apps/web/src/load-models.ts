import type { ModelBody } from '@llmq/contracts';
import { api } from './api-client.ts';

let models: Promise<ModelBody[]> | undefined;

/** The server's models (GET /v1/models), asked once per page load. */
export function loadModels(): Promise<ModelBody[]> {
  models ??= api<{ data: ModelBody[] }>('/v1/models').then(
    (list) => list.data,
    (error: unknown) => {
      models = undefined;
      throw error;
    },
  );
  return models;
}
