import type { Redis } from 'ioredis';

// A turn is taken only when none was taken in the last interval (KEYS[1]) and no turn is still
// running (KEYS[2]): one runner at a time across every process on this Redis, at most one start
// per interval. The marks live in Redis, so the schedule survives any process's restart.
// ARGV: token, intervalMs, longest run in ms.
const takeTurnScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) == false then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1
`;

const endTurnScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface TurnCommands {
  llmqTakeTurn(lastKey: string, runningKey: string, ...args: string[]): Promise<number>;
  llmqEndTurn(runningKey: string, token: string): Promise<number>;
}

export interface FleetTurnsOptions {
  readonly prefix: string;
  /** Names the work, in the keys: one schedule per name. */
  readonly name: string;
  /** At most one turn starts per interval, fleet-wide. */
  readonly intervalMs: number;
  /** A turn whose process died stops blocking the next one after this long. */
  readonly longestRunMs: number;
}

/** Periodic work that one process of the fleet does at a time, on a schedule kept in Redis. */
export class FleetTurns {
  readonly #connection: Redis;
  readonly #lastKey: string;
  readonly #runningKey: string;
  readonly #options: FleetTurnsOptions;

  constructor(connection: Redis, options: FleetTurnsOptions) {
    this.#connection = connection;
    this.#options = options;
    this.#lastKey = `${options.prefix}:turns:${options.name}:last`;
    this.#runningKey = `${options.prefix}:turns:${options.name}:running`;
    connection.defineCommand('llmqTakeTurn', { numberOfKeys: 2, lua: takeTurnScript });
    connection.defineCommand('llmqEndTurn', { numberOfKeys: 1, lua: endTurnScript });
  }

  /**
   * Run `work` if it is this process's turn; false when another process had the turn in this
   * interval or still runs one.
   */
  async runIfTurn(token: string, work: () => Promise<void>): Promise<boolean> {
    const commands = this.#connection as unknown as TurnCommands;
    const taken = await commands.llmqTakeTurn(
      this.#lastKey,
      this.#runningKey,
      token,
      String(this.#options.intervalMs),
      String(this.#options.longestRunMs),
    );
    if (taken !== 1) return false;
    try {
      await work();
    } finally {
      await commands.llmqEndTurn(this.#runningKey, token).catch(() => undefined);
    }
    return true;
  }
}
