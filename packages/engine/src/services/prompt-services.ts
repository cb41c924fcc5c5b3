import type { ModelPrices } from '@llmq/contracts';
import type { HttpFetch, ModelRegistry } from '@llmq/core';
import type { Database } from '@llmq/db';
import type { BatchLog, ControlChannel, EventLog, PromptQueue } from '@llmq/queue';
import type { BlobStore } from '@llmq/storage';
import type { SubjectLimits } from '../limits/subject-limits.ts';
import type { ProviderBatchQueue } from '../provider-batches/provider-batch-queue.ts';
import type { ProviderKeys } from '../provider-keys/provider-keys.ts';
import type { ToolCatalogue } from '../tools/tool-catalogue.ts';
import type { WebhookSigner } from '../webhooks/webhook-signer.ts';
import type { WebhookUrlRules } from '../webhooks/webhook-url.ts';

export interface PromptLimits {
  /** The largest attachment accepted, uploaded or fetched. */
  readonly maxAttachmentBytes: number;
  /** The largest attachment accepted inline (base64) in a JSON body. */
  readonly maxInlineAttachmentBytes: number;
  /** How long fetching a URL attachment may take. */
  readonly urlFetchTimeoutMs: number;
  /** The most items one batch may hold. */
  readonly maxBatchItems: number;
  /** The most attachments one prompt may have. */
  readonly maxAttachmentsPerPrompt: number;
  /** The longest prompt (and system prompt), in characters. */
  readonly maxPromptChars: number;
}

/** What the API-facing operations need. */
export interface PromptServices {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly models: ModelRegistry;
  readonly events: EventLog;
  readonly queue: PromptQueue;
  readonly control: ControlChannel;
  readonly batchLog: BatchLog;
  /** Jobs that submit and poll provider-mode batches. */
  readonly providerBatches: ProviderBatchQueue;
  readonly limits: PromptLimits;
  /** How URL attachments are fetched (a guarded fetch in deployments). */
  readonly fetch: HttpFetch;
  /** Models' keys, for refusing a prompt whose model has none, and the stored keys' admin. */
  readonly providerKeys: ProviderKeys;
  /** The model of prompts and batches that name none (LLMQ_DEFAULT_MODEL, else echo). */
  readonly defaultModel: string | undefined;
  /** The tools the workers can run, which prompts may name. */
  readonly tools: ToolCatalogue;
  /** Each priced model's prices by id (LLMQ_MODEL_PRICES), for costs shown. */
  readonly prices?: ReadonlyMap<string, ModelPrices> | undefined;
  /** Budgets and per-key and per-owner limits, checked before work is queued. */
  readonly subjectLimits?: SubjectLimits | undefined;
  /** Where webhooks may go (LLMQ_URL_ALLOWLIST); unset, public addresses only. */
  readonly webhookUrls?: WebhookUrlRules | undefined;
  /** Signs webhook deliveries: admins read its secret to give receivers. */
  readonly webhookSigner?: WebhookSigner | undefined;
}
