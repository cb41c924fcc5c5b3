import type { PromptEvent } from '@llmq/contracts';
import { countRedisClients, createTestRedis, waitFor } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, type EventLog as EventLogType, type LogEntry } from './event-log.ts';
import { EventLogLostError } from './event-log-errors.ts';
import { EventWriter } from './event-writer.ts';
import { createRedisConnection } from './redis-connection.ts';

const testRedis = createTestRedis();
const subscriberName = `${testRedis.prefix}-subscriber`;
let commands: Redis;
let subscriber: Redis;
let log: EventLogType;
let jobCounter = 0;
const newJob = () => `job-${++jobCounter}`;

const chunk = (text: string): PromptEvent => ({ type: 'chunk', text });
const done: PromptEvent = {
  type: 'done',
  status: 'succeeded',
  usage: { input: 1, output: 2, details: null },
  duration_ms: 5,
};

async function collect(entries: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const entry of entries) out.push(entry);
  return out;
}

beforeAll(() => {
  commands = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-commands` });
  subscriber = createRedisConnection(testRedis.url, { name: subscriberName, blocking: true });
  log = new EventLog(commands, subscriber, { prefix: testRedis.prefix, ttlSeconds: 60 });
});

afterAll(async () => {
  await testRedis.cleanup();
  commands.disconnect();
  subscriber.disconnect();
});

describe('EventLog', () => {
  it('appends to a stream and reads the backlog after an id', async () => {
    const job = newJob();
    const first = await log.append(job, chunk('a'));
    const second = await log.append(job, chunk('b'));
    expect(first).toMatch(/^\d+-\d+$/);
    expect((await log.read(job)).map((entry) => entry.event)).toEqual([chunk('a'), chunk('b')]);
    expect((await log.read(job, first as string)).map((entry) => entry.id)).toEqual([second]);
    expect(await log.read(job, second as string)).toEqual([]);
  });

  it('closes the log at its final event: it expires later and refuses more appends', async () => {
    const job = newJob();
    await log.append(job, chunk('a'));
    expect(await commands.ttl(log.streamKey(job))).toBeGreaterThan(3600);
    await log.append(job, done);
    const ttl = await commands.ttl(log.streamKey(job));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await log.append(job, chunk('late'))).toBeNull();
    expect((await log.read(job)).map((entry) => entry.event.type)).toEqual(['chunk', 'done']);
    await log.reset(job);
    expect(await log.exists(job)).toBe(false);
    expect(await log.append(job, chunk('again'))).not.toBeNull();
  });

  it('sets expiry on every key when a log or an attempt begins and ends, and on a continuing append only when asked', async () => {
    const job = newJob();
    const keys = [log.streamKey(job), `${log.streamKey(job)}:attempt`];
    await log.appendMany(job, [chunk('a')], { attempt: 1 });
    for (const key of keys) expect(await commands.ttl(key)).toBeGreaterThan(3600);
    for (const key of keys) await commands.expire(key, 1000);
    await log.appendMany(job, [chunk('b')], { attempt: 1, continuing: true, refreshExpiry: false });
    for (const key of keys) expect(await commands.ttl(key)).toBeLessThanOrEqual(1000);
    await log.appendMany(job, [chunk('c')], { attempt: 1, continuing: true });
    for (const key of keys) expect(await commands.ttl(key)).toBeGreaterThan(3600);
    for (const key of keys) await commands.expire(key, 1000);
    // A later attempt's first append claims the log: its attempt key is written with expiry.
    await log.appendMany(job, [chunk('d')], { attempt: 2, continuing: true, refreshExpiry: false });
    for (const key of keys) expect(await commands.ttl(key)).toBeGreaterThan(3600);
    await log.appendMany(job, [done], { attempt: 2, continuing: true, refreshExpiry: false });
    for (const key of [...keys, `${log.streamKey(job)}:end`]) {
      const ttl = await commands.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    }
  });

  it('refuses a continuing append to a log that is gone and writes nothing for it', async () => {
    const job = newJob();
    await log.appendMany(job, [chunk('a')], { attempt: 1 });
    await log.reset(job);
    await expect(
      log.appendMany(job, [chunk('b')], { attempt: 1, continuing: true }),
    ).rejects.toThrow(EventLogLostError);
    expect(await commands.exists(log.streamKey(job), `${log.streamKey(job)}:attempt`)).toBe(0);
  });

  it('follows the backlog and then live entries, ending after the final event', async () => {
    const job = newJob();
    await log.append(job, chunk('before '));
    const following = collect(log.follow(job));
    await waitFor(() => log.subscribedChannels > 0);
    await log.append(job, chunk('during '));
    await log.append(job, done);
    const entries = await following;
    expect(entries.map((entry) => entry.event)).toEqual([chunk('before '), chunk('during '), done]);
  });

  it('gives a follower that starts after the end the whole log', async () => {
    const job = newJob();
    await log.append(job, chunk('x'));
    await log.append(job, done);
    expect((await collect(log.follow(job))).map((entry) => entry.event.type)).toEqual([
      'chunk',
      'done',
    ]);
  });

  it('resumes after an entry id with exactly what was missed', async () => {
    const job = newJob();
    const ids: string[] = [];
    for (const text of ['a', 'b', 'c']) ids.push((await log.append(job, chunk(text))) as string);
    await log.append(job, done);
    const resumed = await collect(log.follow(job, ids[1]));
    expect(resumed.map((entry) => entry.event)).toEqual([chunk('c'), done]);
  });

  it('loses and repeats nothing when entries arrive while the backlog is read', async () => {
    const job = newJob();
    for (let index = 0; index < 200; index++) await log.append(job, chunk(`${index},`));
    const appending = (async () => {
      for (let index = 200; index < 400; index++) await log.append(job, chunk(`${index},`));
      await log.append(job, done);
    })();
    const followers = await Promise.all(Array.from({ length: 10 }, () => collect(log.follow(job))));
    await appending;
    const expected = Array.from({ length: 400 }, (_, index) => `${index},`).join('');
    for (const entries of followers) {
      const text = entries
        .map((entry) => (entry.event.type === 'chunk' ? entry.event.text : ''))
        .join('');
      expect(text).toBe(expected);
      expect(entries.at(-1)?.event.type).toBe('done');
    }
  });

  it('serves 500 concurrent followers in order over one subscriber connection', async () => {
    const job = newJob();
    const followers = Array.from({ length: 500 }, () => collect(log.follow(job)));
    await waitFor(() => log.subscribedChannels > 0);
    for (let index = 0; index < 50; index++) await log.append(job, chunk(`${index} `));
    await log.append(job, done);
    const all = await Promise.all(followers);
    const expected = (await log.read(job)).map((entry) => entry.id);
    for (const entries of all) expect(entries.map((entry) => entry.id)).toEqual(expected);
    expect(await countRedisClients(testRedis.url, subscriberName)).toBe(1);
    expect(log.subscribedChannels).toBe(0);
  });

  it('gives a follower that falls far behind every entry once, reading the stream again', async () => {
    const job = newJob();
    const follower = log.follow(job);
    const first = await (async () => {
      const appendFirst = log.append(job, chunk('0,'));
      const next = await follower.next();
      await appendFirst;
      return next.value as LogEntry;
    })();
    // 1,500 entries arrive while the follower reads nothing: more than it may buffer.
    for (let index = 1; index < 1_500; index++) await log.append(job, chunk(`${index},`));
    await log.append(job, done);
    const rest: LogEntry[] = [];
    for await (const entry of follower) rest.push(entry);
    const entries = [first, ...rest];
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    const text = entries
      .map((entry) => (entry.event.type === 'chunk' ? entry.event.text : ''))
      .join('');
    expect(text).toBe(Array.from({ length: 1_500 }, (_, index) => `${index},`).join(''));
  });

  it('stops following when its signal aborts', async () => {
    const job = newJob();
    const controller = new AbortController();
    const following = collect(log.follow(job, '0', controller.signal));
    await waitFor(() => log.subscribedChannels > 0);
    await log.append(job, chunk('one'));
    await waitFor(async () => (await log.read(job)).length === 1);
    controller.abort();
    const entries = await following;
    expect(entries.length).toBeLessThanOrEqual(1);
    await waitFor(() => log.subscribedChannels === 0);
  });

  it('catches up after the subscriber connection drops and comes back', async () => {
    const job = newJob();
    const following = collect(log.follow(job));
    await waitFor(() => log.subscribedChannels > 0);
    await log.append(job, chunk('before drop '));
    subscriber.disconnect(true);
    await log.append(job, chunk('while down '));
    await waitFor(() => subscriber.status === 'ready');
    await log.append(job, chunk('after '));
    await log.append(job, done);
    const text = (await following)
      .map((entry) => (entry.event.type === 'chunk' ? entry.event.text : ''))
      .join('');
    expect(text).toBe('before drop while down after ');
  });
});

describe('EventLog.deliver', () => {
  it('pushes the backlog and then live entries, with no gap and no duplicate, and ends at the final one', async () => {
    const job = newJob();
    for (let index = 0; index < 150; index++) await log.append(job, chunk(`${index},`));
    const appending = (async () => {
      for (let index = 150; index < 300; index++) await log.append(job, chunk(`${index},`));
      await log.append(job, done);
    })();
    const received: LogEntry[][] = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const entries: LogEntry[] = [];
        await log.deliver(job, '0', (entry) => entries.push(entry), new AbortController().signal);
        return entries;
      }),
    );
    await appending;
    const expected = Array.from({ length: 300 }, (_, index) => `${index},`).join('');
    for (const entries of received) {
      expect(
        entries.map((entry) => (entry.event.type === 'chunk' ? entry.event.text : '')).join(''),
      ).toBe(expected);
      expect(entries.at(-1)?.event.type).toBe('done');
    }
    expect(log.subscribedChannels).toBe(0);
  });

  it('resumes after an id and stops when its signal aborts', async () => {
    const job = newJob();
    const first = (await log.append(job, chunk('a'))) as string;
    await log.append(job, chunk('b'));
    const controller = new AbortController();
    const entries: LogEntry[] = [];
    const delivering = log.deliver(job, first, (entry) => entries.push(entry), controller.signal);
    await waitFor(() => entries.length === 1, 'the backlog');
    controller.abort();
    await delivering;
    expect(entries.map((entry) => entry.event)).toEqual([chunk('b')]);
  });
});

describe('EventWriter', () => {
  it('sends the first text without the window and coalesces the rest within it, keeping order', async () => {
    const job = newJob();
    // A window far longer than the test: only the first text may reach the log before `done`.
    const writer = new EventWriter(log, job, 600_000);
    writer.queue({ type: 'status', status: 'running', attempt: 1 });
    writer.chunk('a');
    await waitFor(async () => (await log.read(job)).length === 2, 'the first text');
    for (const text of ['b', 'c', 'd']) writer.chunk(text);
    expect(await log.read(job)).toHaveLength(2);
    await writer.event(done);
    const events = (await log.read(job)).map((entry) => entry.event);
    expect(events).toEqual([
      { type: 'status', status: 'running', attempt: 1 },
      chunk('a'),
      chunk('bcd'),
      done,
    ]);
  });

  it('appends each chunk at once with no window', async () => {
    const job = newJob();
    const writer = new EventWriter(log, job, 0);
    for (const text of ['a', 'b']) writer.chunk(text);
    await writer.flush();
    expect((await log.read(job)).map((entry) => entry.event)).toEqual([chunk('a'), chunk('b')]);
  });

  it('raises a failed append from the next event or flush', async () => {
    const broken = createRedisConnection('redis://127.0.0.1:9', { name: 'broken' });
    broken.on('error', () => undefined);
    const brokenLog = new EventLog(broken, subscriber, { prefix: testRedis.prefix });
    const writer = new EventWriter(brokenLog, newJob(), 0);
    writer.chunk('lost');
    await expect(writer.flush()).rejects.toThrow();
    broken.disconnect();
  });
});
