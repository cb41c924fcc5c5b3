/** What `DELETE` removes: a prompt, a whole conversation, an ended batch, or an attachment hold. */
export const deletableKinds = ['prompt', 'conversation', 'batch', 'attachment'] as const;
export type DeletableKind = (typeof deletableKinds)[number];

/** The answer to a delete: the id, and how many prompts went with it (turns or batch items). */
export interface DeletedBody {
  readonly id: string;
  readonly deleted: true;
  readonly prompts?: number | undefined;
}

const collectionOf: Record<DeletableKind, string> = {
  prompt: 'prompts',
  conversation: 'conversations',
  batch: 'batches',
  attachment: 'attachments',
};

/** The path a kind's `DELETE` goes to. */
export function deletionPath(kind: DeletableKind, id: string): string {
  return `/v1/${collectionOf[kind]}/${encodeURIComponent(id)}`;
}
