import type { UsageDimensionName, WebhookDeliveryBody } from '@llmq/contracts';

/** What the client's list and report methods take, and the pages they give. */

export interface WebhookDeliveryQuery {
  /** Only the deliveries of this prompt or batch. */
  readonly subjectId?: string | undefined;
  readonly status?: WebhookDeliveryBody['status'] | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

export interface WebhookDeliveryPage {
  readonly data: WebhookDeliveryBody[];
  readonly next_cursor: string | null;
}

export interface UsageQuery {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly groupBy?: readonly UsageDimensionName[] | undefined;
  readonly owner?: string | undefined;
  readonly keyId?: string | undefined;
  readonly model?: string | undefined;
}

export interface ListPromptsQuery {
  readonly q?: string;
  readonly model?: string;
  readonly status?: string;
  readonly conversation_id?: string;
  readonly batch_id?: string;
  /** Only prompts with this stored schema (its id, 64 hex digits). */
  readonly schema?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface Page<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}
