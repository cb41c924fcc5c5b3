import { createTestRedis, waitFor } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, type LogEntry } from './event-log.ts';
import { EventLogSupersededError } from './event-log-errors.ts';
import { EventWriter } from './event-writer.ts';
import { createRedisConnection } from './redis-connection.ts';

const testRedis = createTestRedis();
let commands: Redis;
let subscriber: Redis;
let log: EventLog;

beforeAll(() => {
  commands = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-commands` });
  subscriber = createRedisConnection(testRedis.url, {
    name: `${testRedis.prefix}-subscriber`,
    blocking: true,
  });
  log = new EventLog(commands, subscriber, { prefix: testRedis.prefix, ttlSeconds: 60 });
});

afterAll(async () => {
  await testRedis.cleanup();
  commands.disconnect();
  subscriber.disconnect();
});

/** The answer a follower shows after these entries: text since the last restart. */
function textOf(entries: readonly LogEntry[]): string {
  let text = '';
  for (const { event } of entries) {
    if (event.type === 'restart') text = '';
    if (event.type === 'chunk') text += event.text;
  }
  return text;
}

describe('an event writer whose log Redis loses midway', () => {
  it('writes the log anew, from a restart, so neither a new nor a live follower misses the start', async () => {
    const jobId = 'lost-midway';
    const writer = new EventWriter(log, jobId, 0, 2);
    const live: LogEntry[] = [];
    const controller = new AbortController();
    const following = log.deliver(jobId, '0', (entry) => live.push(entry), controller.signal);
    await writer.event({ type: 'status', status: 'running', attempt: 2 });
    writer.chunk('The start ');
    writer.chunk('of the answer, ');
    await writer.flush();
    await waitFor(async () => textOf(live) === 'The start of the answer, ', 'the first chunks');

    // As a Redis restart without persistence leaves it: the log is gone, the attempt goes on.
    await commands.del(log.streamKey(jobId));
    writer.chunk('and its end.');
    await writer.event({
      type: 'done',
      status: 'succeeded',
      usage: { input: 1, output: 2, details: null },
      duration_ms: 3,
    });
    await following;
    controller.abort();

    const stored = await log.read(jobId);
    expect(stored.map((entry) => entry.event)).toEqual([
      { type: 'restart', attempt: 2 },
      { type: 'status', status: 'running', attempt: 2 },
      { type: 'chunk', text: 'The start of the answer, ' },
      { type: 'chunk', text: 'and its end.' },
      expect.objectContaining({ type: 'done' }),
    ]);
    expect(textOf(stored)).toBe('The start of the answer, and its end.');
    expect(textOf(live)).toBe('The start of the answer, and its end.');
  });

  it('does not count a log that a first append creates as lost', async () => {
    const writer = new EventWriter(log, 'fresh', 0);
    await writer.event({ type: 'status', status: 'running', attempt: 1 });
    writer.chunk('hello');
    await writer.flush();
    expect((await log.read('fresh')).map((entry) => entry.event.type)).toEqual(['status', 'chunk']);
  });

  it("refuses an earlier attempt's appends once a later attempt has written, so two never interleave", async () => {
    const jobId = 'two-attempts';
    const first = new EventWriter(log, jobId, 0, 1);
    await first.event({ type: 'status', status: 'running', attempt: 1 });
    first.chunk('first attempt, ');
    await first.flush();
    // The first attempt's job was lost and run again: the second attempt begins.
    const second = new EventWriter(log, jobId, 0, 2);
    await second.event({ type: 'restart', attempt: 2 });
    second.chunk('second attempt.');
    await second.flush();
    // The first attempt, still running until its lock lapses, writes again: refused.
    first.chunk('still the first');
    await expect(first.flush()).rejects.toBeInstanceOf(EventLogSupersededError);
    expect(textOf(await log.read(jobId))).toBe('second attempt.');
    // Unfenced appends (the api's, a cancel's final event) still go in.
    expect(await log.append(jobId, { type: 'status', status: 'running', attempt: 2 })).not.toBe(
      null,
    );
  });

  it('coalesces reasoning like text, each run in its own entry, in the order the model spoke', async () => {
    const jobId = 'reasoning-order';
    // A long coalescing window: everything after the first piece goes in one append.
    const writer = new EventWriter(log, jobId, 60_000, 1);
    writer.reasoning('First, ');
    await waitFor(async () => (await log.read(jobId)).length === 1, 'the first reasoning');
    writer.reasoning('look. ');
    writer.reasoning('Then ');
    writer.chunk('The ');
    writer.chunk('answer');
    writer.reasoning('Check it.');
    writer.chunk('.');
    await writer.flush();
    expect((await log.read(jobId)).map((entry) => entry.event)).toEqual([
      { type: 'reasoning', text: 'First, ' },
      { type: 'reasoning', text: 'look. Then ' },
      { type: 'chunk', text: 'The answer' },
      { type: 'reasoning', text: 'Check it.' },
      { type: 'chunk', text: '.' },
    ]);
  });
});

describe("an event writer's first text", () => {
  it('goes at the end of its turn, without the window, with what the model gave in that turn', async () => {
    const jobId = 'first-text-turn';
    const writer = new EventWriter(log, jobId, 60_000, 1);
    writer.queue({ type: 'status', status: 'running', attempt: 1 });
    // A model that answers in one go (echo, a cached answer) gives every chunk in one turn:
    // they are one append, not the first chunk and then the rest.
    writer.chunk('The ');
    writer.chunk('answer');
    await waitFor(async () => (await log.read(jobId)).length > 0, 'the first append');
    expect((await log.read(jobId)).map((entry) => entry.event)).toEqual([
      { type: 'status', status: 'running', attempt: 1 },
      { type: 'chunk', text: 'The answer' },
    ]);
    // Text after the first waits for the window (or a flush).
    writer.chunk('.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await log.read(jobId)).toHaveLength(2);
    await writer.flush();
    expect((await log.read(jobId)).at(-1)?.event).toEqual({ type: 'chunk', text: '.' });
  });

  it('is not sent once the attempt discards what is pending', async () => {
    const jobId = 'first-text-discarded';
    const writer = new EventWriter(log, jobId, 60_000, 1);
    writer.chunk('never');
    writer.discard();
    await new Promise((resolve) => setImmediate(resolve));
    await writer.flush();
    expect(await log.read(jobId)).toEqual([]);
  });
});
