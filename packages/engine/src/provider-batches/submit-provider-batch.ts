import {
  type AsyncModel,
  type Attachment,
  failureOf,
  newId,
  type ProviderBatchRequest,
} from '@llmq/core';
import {
  type AttachmentRow,
  attachmentsOf,
  endProviderItem,
  getBatch,
  type ProviderBatchRow,
  providerBatchesOf,
  queuedProviderBatchItems,
  type ResponseRow,
  setProviderBatch,
  splitProviderBatch,
} from '@llmq/db';
import type { Logger } from 'pino';
import { batchState } from '../batches/batch-state.ts';
import { loadPromptInput } from '../run/load-prompt-input.ts';
import { failProviderBatch } from './fail-provider-batch.ts';
import { type ProviderBatchAccess, providerBatchApiOf } from './provider-batch-api-of.ts';
import type { ProviderBatchDependencies } from './provider-batch-dependencies.ts';
import { recordProviderItem } from './record-provider-item.ts';

/** Items read per page while a chunk's requests are built. */
const pageSize = 200;

/**
 * Submit a provider-mode batch: each `submitting` provider batch of it (at first one holding every
 * item) has its requests built as the worker would build each prompt, is cut at the provider's
 * limits (the rest moved to a new `submitting` row before anything is created), created, and
 * marked `in_progress` with the provider's id, its first poll scheduled.
 *
 * Exactly one provider batch per row: the row is written before `create` and `create` labels
 * the provider batch with the row's id; a submitter that died after `create` and before the row
 * was updated is followed (BullMQ runs the job again) by one that asks the provider for a batch
 * with that label (`findCreated`) before creating one.
 */
export async function submitProviderBatches(
  deps: ProviderBatchDependencies,
  batchId: string,
): Promise<void> {
  const log = deps.logger.child({ batchId });
  const batch = await getBatch(deps.db, batchId);
  if (!batch) return;
  const model = deps.models.get(batch.model);
  const access = await providerBatchApiOf(deps, model);
  for (;;) {
    const rows = await providerBatchesOf(deps.db, batchId);
    const row = rows.find((candidate) => candidate.status === 'submitting');
    if (!row) return;
    const current = await getBatch(deps.db, batchId);
    if (current?.status === 'cancelling' || current?.status === 'cancelled') {
      // Not at the provider yet: its items end here. A row that was created but not yet recorded
      // is cancelled at the provider too.
      const created =
        row.providerBatchId ??
        (await access.api.findCreated?.(row.id, row.createdAt, { key: access.key }));
      if (created) await access.api.cancel(created, { key: access.key });
      await cancelUnsubmitted(deps, row, log);
      continue;
    }
    const requests = await buildChunk(deps, model, access, row, log);
    if (requests.length === 0) {
      await setProviderBatch(deps.db, row.id, ['submitting'], { status: 'ended', ended: true });
      // Every item of it may have failed here: the batch may have ended with them.
      const ended = await getBatch(deps.db, batchId);
      if (ended) await batchState(deps.db, ended);
      continue;
    }
    const found =
      row.providerBatchId ??
      (await access.api.findCreated?.(row.id, row.createdAt, { key: access.key }));
    let providerBatchId: string;
    try {
      providerBatchId =
        found ?? (await access.api.create(requests, { key: access.key, reference: row.id }));
    } catch (error) {
      // Refused for good (a request over the provider's size limit, a bad key): the chunk would
      // be refused at every attempt, so its items end failed and the next chunk is tried.
      if (failureOf(error)?.retryable !== false) throw error;
      await failProviderBatch(
        deps,
        row,
        `The provider refused the batch: ${messageOf(error)}`,
        log,
      );
      continue;
    }
    const recorded = await setProviderBatch(deps.db, row.id, ['submitting'], {
      status: 'in_progress',
      providerBatchId,
      requestCount: requests.length,
      nextPollAt: new Date(Date.now() + deps.queue.pollMs),
    });
    if (!recorded) {
      // Another submitter (a stalled job run again while this one lived) recorded its own
      // provider batch for the row first: this one is a duplicate nobody would read.
      if (!found) await cancelDuplicate(access, providerBatchId, log);
      continue;
    }
    await deps.queue.poll(row.id, 0);
    log.info(
      { providerBatchId, requests: requests.length, provider: access.api.provider },
      'provider batch created',
    );
    // A cancel that came while it was being created found no provider id to cancel.
    const after = await getBatch(deps.db, batchId);
    if (after?.status === 'cancelling' || after?.status === 'cancelled') {
      await access.api.cancel(providerBatchId, { key: access.key });
    }
  }
}

/**
 * The requests of a submitting row's items, in item order, as many as the limits allow; the
 * items past the cut go to a new submitting row first, so a restart cuts the same way.
 */
async function buildChunk(
  deps: ProviderBatchDependencies,
  model: AsyncModel,
  access: ProviderBatchAccess,
  row: ProviderBatchRow,
  log: Logger,
): Promise<ProviderBatchRequest[]> {
  const requests: ProviderBatchRequest[] = [];
  const attachmentCache = new Map<string, Promise<Attachment>>();
  const signal = new AbortController().signal;
  let bytes = 0;
  let lastIndex = -1;
  for (;;) {
    const page = await queuedProviderBatchItems(deps.db, row.id, lastIndex, pageSize);
    if (page.length === 0) return requests;
    const attachments = await attachmentsOf(
      deps.db,
      page.map((item) => item.id),
    );
    for (const item of page) {
      let body: unknown;
      try {
        body = await requestBodyOf(deps, model, access, item, {
          attachments: attachments.get(item.id) ?? [],
          cache: attachmentCache,
          signal,
        });
      } catch (error) {
        // A service that may come back (storage, the database) fails the attempt; anything
        // else is this item's own fault (a blob gone, options or a schema the model refuses) and
        // ends it alone, so the rest of the chunk is still sent.
        if (failureOf(error)?.retryable === true) throw error;
        await failUnbuildable(deps, row, item, error, log);
        lastIndex = item.batchIndex ?? lastIndex;
        continue;
      }
      // The JSONL line's size, with room for the wrapper the plugin adds.
      const size = Buffer.byteLength(JSON.stringify(body)) + 256;
      if (
        requests.length > 0 &&
        (requests.length >= access.limits.maxRequests || bytes + size > access.limits.maxBytes)
      ) {
        await splitProviderBatch(deps.db, row, { id: newId(), afterIndex: lastIndex });
        return requests;
      }
      requests.push({ customId: item.id, body });
      bytes += size;
      lastIndex = item.batchIndex ?? lastIndex;
    }
    // Attachments are kept only within a page: a chunk of images must not all stay in memory.
    attachmentCache.clear();
  }
}

/** The request of one item: the prompt the worker would build, as the plugin would send it. */
async function requestBodyOf(
  deps: ProviderBatchDependencies,
  model: AsyncModel,
  access: ProviderBatchAccess,
  item: ResponseRow,
  input: {
    readonly attachments: readonly AttachmentRow[];
    readonly cache: Map<string, Promise<Attachment>>;
    readonly signal: AbortSignal;
  },
): Promise<unknown> {
  const loaded = await loadPromptInput(
    deps.db,
    deps.blobs,
    { ...item, attachments: input.attachments },
    input.signal,
    input.cache,
  );
  const schema = item.schemaId ? await deps.schemas.get(item.schemaId) : undefined;
  const response = model.prompt(item.prompt, {
    system: item.system ?? undefined,
    attachments: loaded.attachments,
    options: item.options,
    schema: schema?.content,
    history: loaded.history,
    stream: false,
  });
  return access.api.requestBody(response.prompt, input.signal);
}

/** A submitting row of a cancelled batch: cancelled, and its items with it. */
async function cancelUnsubmitted(
  deps: ProviderBatchDependencies,
  row: ProviderBatchRow,
  log: Logger,
): Promise<void> {
  for (;;) {
    const page = await queuedProviderBatchItems(deps.db, row.id, -1, 500);
    if (page.length === 0) break;
    for (const item of page) {
      const ended = await endProviderItem(deps.db, item.id, row.id, {
        status: 'cancelled',
        errorKind: 'Cancelled',
        error: 'The batch was cancelled before this item was sent to the provider',
      });
      if (ended) await recordProviderItem(deps, ended, log);
    }
  }
  await setProviderBatch(deps.db, row.id, ['submitting'], { status: 'cancelled', ended: true });
}

/** An item whose request could not be built: failed with the reason, alone. */
async function failUnbuildable(
  deps: ProviderBatchDependencies,
  row: ProviderBatchRow,
  item: ResponseRow,
  error: unknown,
  log: Logger,
): Promise<void> {
  const ended = await endProviderItem(deps.db, item.id, row.id, {
    status: 'failed',
    errorKind: error instanceof Error ? error.name : 'Error',
    error: `The request could not be built: ${messageOf(error)}`,
  });
  if (ended) await recordProviderItem(deps, ended, log);
}

async function cancelDuplicate(
  access: ProviderBatchAccess,
  providerBatchId: string,
  log: Logger,
): Promise<void> {
  log.warn({ providerBatchId }, 'another submitter recorded this chunk first: cancelling ours');
  try {
    await access.api.cancel(providerBatchId, { key: access.key });
  } catch (error) {
    log.warn({ err: error, providerBatchId }, 'could not cancel the duplicate provider batch');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
