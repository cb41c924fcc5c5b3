import { newId } from '@llmq/core';
import { createRedisConnection, EventLog } from '@llmq/queue';
import { createTestRedis } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStreams } from './open-streams.ts';
import { type StreamedPrompt, writePromptStream } from './prompt-stream.ts';
import type { Frame, FrameSink } from './response-sink.ts';

const testRedis = createTestRedis();
let commands: Redis;
let subscriber: Redis;
let events: EventLog;

beforeAll(() => {
  commands = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-commands` });
  subscriber = createRedisConnection(testRedis.url, {
    name: `${testRedis.prefix}-subscriber`,
    blocking: true,
  });
  events = new EventLog(commands, subscriber, { prefix: testRedis.prefix, ttlSeconds: 60 });
});

afterAll(async () => {
  await testRedis.cleanup();
  commands.disconnect();
  subscriber.disconnect();
});

describe('writePromptStream', () => {
  it('returns at once, following nothing, for a client gone before its stream opened', async () => {
    const id = newId();
    // A running prompt whose log will not end while this test lasts.
    await events.append(id, { type: 'status', status: 'queued', attempt: 0 });
    const written: Frame[] = [];
    const sink: FrameSink = {
      // The client left while its prompt was being read: the sink was closed when it was made.
      signal: AbortSignal.abort(new Error('the client went away')),
      write: async (frame) => {
        written.push(frame);
      },
      push: (frame) => written.push(frame),
      finish: (frame) => written.push(frame),
    };
    const prompt = { id, status: 'queued', attachments: [] } as unknown as StreamedPrompt;
    // Without the check, the delivery would follow the log until its final event: this would
    // never resolve.
    await writePromptStream(sink, events, prompt, '0', 60_000);
    expect(written).toEqual([]);
    expect(openStreams.size).toBe(0);
  });
});
