import {
  attachmentOwners,
  attachments,
  files,
  promptAttachments,
} from './tables/attachment-tables.ts';
import { batches, providerBatches } from './tables/batch-tables.ts';
import { conversations } from './tables/conversations-table.ts';
import { apiKeys, providerKeys } from './tables/key-tables.ts';
import { ownerLimits } from './tables/owner-limits-table.ts';
import { responses, toolResults } from './tables/responses-table.ts';
import { schemas } from './tables/schemas-table.ts';
import { serverSecrets } from './tables/server-secrets-table.ts';
import { usageLedger } from './tables/usage-ledger-table.ts';
import { webhookAttempts, webhookDeliveries } from './tables/webhook-tables.ts';

export * from './tables/attachment-tables.ts';
export * from './tables/batch-tables.ts';
export * from './tables/conversations-table.ts';
export * from './tables/key-tables.ts';
export * from './tables/responses-table.ts';
export * from './tables/schemas-table.ts';
export * from './tables/server-secrets-table.ts';

export const schema = {
  schemas,
  conversations,
  batches,
  responses,
  attachments,
  promptAttachments,
  attachmentOwners,
  files,
  apiKeys,
  providerKeys,
  toolResults,
  providerBatches,
  ownerLimits,
  usageLedger,
  webhookDeliveries,
  webhookAttempts,
  serverSecrets,
};

export * from './tables/owner-limits-table.ts';
export * from './tables/usage-ledger-table.ts';
export * from './tables/webhook-tables.ts';

/** A prompt's row as llmq reads it: every column but the full-text vector (`responseColumns`). */
export type ResponseRow = Omit<typeof responses.$inferSelect, 'search'>;
export type ConversationRow = typeof conversations.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type BatchRow = typeof batches.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ProviderKeyRow = typeof providerKeys.$inferSelect;
export type AttachmentOwnerRow = typeof attachmentOwners.$inferSelect;
export type FileRow = typeof files.$inferSelect;
export type SchemaRow = typeof schemas.$inferSelect;
export type ToolResultRow = typeof toolResults.$inferSelect;
export type ProviderBatchRow = typeof providerBatches.$inferSelect;
