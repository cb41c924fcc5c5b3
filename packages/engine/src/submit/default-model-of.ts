import { InvalidRequestError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';

/** The server's default model, for a prompt or batch that names none; refused when there is none. */
export function requireDefaultModel(services: Pick<PromptServices, 'defaultModel'>): string {
  if (services.defaultModel !== undefined) return services.defaultModel;
  throw new InvalidRequestError(
    'Name a model: this server has no default (set LLMQ_DEFAULT_MODEL on it, or load the echo plugin); GET /v1/models lists them',
  );
}
