import { setTimeout as sleep } from 'node:timers/promises';
import { createTestRedis } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FleetTurns } from './fleet-turns.ts';
import { createRedisConnection } from './redis-connection.ts';

const testRedis = createTestRedis();
const connections: Redis[] = [];

function processTurns(name: string, intervalMs: number, holdMs = 60_000): FleetTurns {
  const connection = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-${name}` });
  connections.push(connection);
  return new FleetTurns(connection, {
    prefix: testRedis.prefix,
    name,
    intervalMs,
    holdMs,
  });
}

afterAll(async () => {
  await testRedis.cleanup();
  for (const connection of connections) connection.disconnect();
});

describe('fleet turns', () => {
  it('give each interval to one process, and never run two turns at once', async () => {
    // Three "processes" (connections of their own) look at the same schedule at once.
    const fleet = [1, 2, 3].map(() => processTurns('once-per-interval', 60_000));
    let running = 0;
    let most = 0;
    let ran = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      ran++;
      await sleep(50);
      running--;
    };
    const looks = await Promise.all(
      fleet.map((turns, index) => turns.runIfTurn(`p${index}`, work)),
    );
    expect(looks.filter(Boolean)).toHaveLength(1);
    // Within the same interval nobody gets another turn.
    expect(await fleet[1]?.runIfTurn('p1', work)).toBe(false);
    // The interval passes (its mark lapses).
    await connections[0]?.del(`${testRedis.prefix}:turns:once-per-interval:last`);
    const later = await Promise.all(
      fleet.map((turns, index) => turns.runIfTurn(`p${index}`, work)),
    );
    expect(later.filter(Boolean)).toHaveLength(1);
    expect(ran).toBe(2);
    expect(most).toBe(1);
  });

  it('hold the next turn while one still runs past its interval', async () => {
    const [first, second] = [processTurns('long-run', 100), processTurns('long-run', 100)];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const long = first?.runIfTurn('first', () => held);
    await sleep(200);
    expect(await second?.runIfTurn('second', async () => undefined)).toBe(false);
    release();
    expect(await long).toBe(true);
    await sleep(150);
    expect(await second?.runIfTurn('second', async () => undefined)).toBe(true);
  });

  it('survive a process that died in its turn: its mark lapses after holdMs', async () => {
    const turns = processTurns('died', 100, 300);
    // The dead process's marks, as it left them.
    await connections.at(-1)?.set(`${testRedis.prefix}:turns:died:running`, 'dead', 'PX', 300);
    expect(await turns.runIfTurn('alive', async () => undefined)).toBe(false);
    await sleep(350);
    expect(await turns.runIfTurn('alive', async () => undefined)).toBe(true);
  });

  it('renew the running mark while a turn runs longer than holdMs', async () => {
    const [first, second] = [processTurns('held', 100, 1_000), processTurns('held', 100, 1_000)];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const long = first?.runIfTurn('first', () => held);
    // Three times the mark's lifetime: only renewals keep it.
    await sleep(3_000);
    expect(await second?.runIfTurn('second', async () => undefined)).toBe(false);
    release();
    expect(await long).toBe(true);
  });
});
