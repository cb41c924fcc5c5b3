import { LlmqApiError } from '@llmq/client';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './cli-server.fixture.ts';

const server = useCliServer();
const llmq = (args: readonly string[]) => server().llmq(args);

async function storedPrompt(text: string): Promise<{ id: string; conversation_id: string }> {
  const run = await llmq(['prompt', '--no-stream', '--json', '-m', 'echo', text]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { id: string; conversation_id: string };
}

async function statusOf(read: () => Promise<unknown>): Promise<number> {
  try {
    await read();
    return 200;
  } catch (error) {
    if (error instanceof LlmqApiError) return error.status;
    throw error;
  }
}

describe('llmq delete', () => {
  it('deletes prompts and conversations, saying what went', async () => {
    const first = await storedPrompt('first, to delete alone');
    const second = await storedPrompt('second, deleted with its conversation');
    const deleted = await llmq(['delete', 'prompt', first.id]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`deleted prompt ${first.id}\n`);
    expect(await statusOf(() => server().client.getPrompt(first.id))).toBe(404);

    const conversation = await llmq(['delete', 'conversation', second.conversation_id, '--json']);
    expect(conversation.code, conversation.stderr).toBe(0);
    expect(JSON.parse(conversation.stdout)).toEqual({
      id: second.conversation_id,
      deleted: true,
      prompts: 1,
    });
    expect(await statusOf(() => server().client.getPrompt(second.id))).toBe(404);
  });

  it('stops at the server’s refusal, and refuses a kind it does not know', async () => {
    const missing = await llmq(['delete', 'batch', 'no-such-batch']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-batch/);
    const unknown = await llmq(['delete', 'schema', 'x']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('say what to delete: prompt, conversation, batch, attachment');
  });

  it('sends --webhook-url with the prompt, where the server checks it', async () => {
    const refused = await llmq([
      'prompt',
      '--no-stream',
      '-m',
      'echo',
      '--webhook-url',
      'http://169.254.169.254/hook',
      'tell me when done',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('169.254.169.254');
  });
});
