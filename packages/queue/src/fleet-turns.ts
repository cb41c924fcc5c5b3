import type { Redis } from 'ioredis';

// A turn is taken only when none was taken in the last interval (KEYS[1]) and no turn is still
// running (KEYS[2]): one runner at a time across every process on this Redis, at most one start
// per interval. The marks live in Redis, so the schedule survives any process's restart. The
// running mark lives `holdMs` and is renewed while the turn runs, so a process that dies in its
// turn holds up the next one for `holdMs` at most.
// ARGV: token, intervalMs, holdMs.
const takeTurnScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) == false then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1
`;

const holdTurnScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const endTurnScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface TurnCommands {
  llmqTakeTurn(lastKey: string, runningKey: string, ...args: string[]): Promise<number>;
  llmqHoldTurn(runningKey: string, token: string, holdMs: string): Promise<number>;
  llmqEndTurn(runningKey: string, token: string): Promise<number>;
}

export interface FleetTurnsOptions {
  readonly prefix: string;
  /** Names the work, in the keys: one schedule per name. */
  readonly name: string;
  /** At most one turn starts per interval, fleet-wide. */
  readonly intervalMs: number;
  /**
   * How long a turn's running mark lives unless renewed (it is, every third of it, while the
   * work runs): a process that died in its turn blocks the next one this long at most.
   */
  readonly holdMs: number;
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
    connection.defineCommand('llmqHoldTurn', { numberOfKeys: 1, lua: holdTurnScript });
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
      String(this.#options.holdMs),
    );
    if (taken !== 1) return false;
    const hold = setInterval(() => {
      // A renewal lost to a Redis blip is retried at the next; the mark lapses only if all fail.
      commands
        .llmqHoldTurn(this.#runningKey, token, String(this.#options.holdMs))
        .catch(() => undefined);
    }, this.#options.holdMs / 3);
    try {
      await work();
    } finally {
      clearInterval(hold);
      // Not ended (Redis away): the mark lapses within holdMs.
      await commands.llmqEndTurn(this.#runningKey, token).catch(() => undefined);
    }
    return true;
  }
}
