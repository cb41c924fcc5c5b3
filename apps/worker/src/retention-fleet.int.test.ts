import { createHash } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { upsertAttachment } from '@llmq/db';
import { parsePrometheusText, sampleValue, waitFor } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

let fleet: WorkerFleet;

beforeAll(async () => {
  fleet = await openWorkerFleet();
});

afterAll(async () => {
  await fleet?.close();
});

const execute = (query: string) => fleet.database.db.execute(query);

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Bytes in the fleet's blob folder, where its filesystem store keeps them, with their row. */
async function storeBytes(text: string): Promise<{ id: string; path: string }> {
  const id = createHash('sha256').update(text).digest('hex');
  const key = `blobs/${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;
  const path = join(new URL(fleet.settings.STORAGE_URL).pathname, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  await upsertAttachment(fleet.database.db, {
    id,
    type: 'text/plain',
    size: text.length,
    storageKey: key,
  });
  return { id, path };
}

async function conversationOf(promptId: string): Promise<string> {
  const row = await fleet.ended(promptId);
  return row.conversationId as string;
}

describe('retention in a worker fleet', () => {
  it('runs on its schedule in one worker of two, removing what is due and its bytes', async () => {
    const settings = {
      LLMQ_RETENTION: '{"prompts":"1d"}',
      LLMQ_RETENTION_INTERVAL_MS: '300',
      LLMQ_BLOB_GRACE_MS: '3600000',
      LOG_LEVEL: 'info',
    };
    const workers = [fleet.start(settings), fleet.start(settings)];
    const due = await fleet.enqueue({ prompt: 'old', options: {} });
    const recent = await fleet.enqueue({ prompt: 'new', options: {} });
    const dueConversation = await conversationOf(due);
    const recentConversation = await conversationOf(recent);
    const dueBytes = await storeBytes('bytes only the old prompt used');
    const keptBytes = await storeBytes('bytes the new prompt uses');
    await execute(
      `insert into prompt_attachments (response_id, attachment_id, position) values ('${due}', '${dueBytes.id}', 0), ('${recent}', '${keptBytes.id}', 0)`,
    );
    // Linked first, then made old: an unlinked attachment past its grace is collected at once.
    // The bytes age before the prompt does: a pass between the two updates then finds nothing
    // due, where the other order let one pass remove the prompt and the next its bytes.
    await execute(`update attachments set touched_at = now() - interval '2 hours'`);
    await execute(
      `update responses set completed_at = now() - interval '2 days' where id = '${due}'`,
    );

    await waitFor(async () => !(await exists(dueBytes.path)), 'the due bytes to go', 30_000);

    const conversations = (await execute('select id from conversations')) as unknown as Array<{
      id: string;
    }>;
    const ids = (Array.isArray(conversations) ? conversations : []).map((row) => row.id);
    expect(ids).toContain(recentConversation);
    expect(ids).not.toContain(dueConversation);
    expect(await exists(keptBytes.path)).toBe(true);

    // The pass that removed them ran in one process: reported once, across both workers.
    const removals = () =>
      workers
        .flatMap((worker) => worker.lines)
        .filter((line) => line.includes('retention pass removed what was due'));
    await waitFor(() => removals().length > 0, 'the pass to report', 10_000);
    expect(removals()).toHaveLength(1);
    expect(JSON.parse(removals()[0] as string)).toMatchObject({
      conversations: 1,
      prompts: 1,
      blobs: 1,
    });

    // Each worker's /metrics counts what its own passes removed: one conversation in all.
    let removedConversations = 0;
    for (const worker of workers) {
      const ready = JSON.parse(await worker.waitForLine(/worker ready/)) as { metrics: string };
      const samples = parsePrometheusText(await (await fetch(ready.metrics)).text());
      removedConversations +=
        sampleValue(samples, 'llmq_retention_removed_total', { kind: 'conversations' }) ?? 0;
    }
    expect(removedConversations).toBe(1);
    await fleet.killAll();
  });

  it('refuses to start with a retention policy it cannot read, saying what it expects', async () => {
    const worker = fleet.start({ LLMQ_RETENTION: '{"results":"30d"}' });
    expect(await worker.exited).toBe(1);
    const said = worker.lines.join('\n');
    expect(said).toContain('LLMQ_RETENTION');
    expect(said).toContain('prompts, batches, files, webhook_deliveries and attachments');
  });
});
