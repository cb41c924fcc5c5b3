/**
 * One look at a batch's state at a time, and at most one per `maxAgeMs`, for all of a
 * process's progress streams on that batch: counting a 100,000-item batch reads every item
 * row (some 50 ms of PostgreSQL), and each stream looks four times a second, so ten people
 * watching one batch would otherwise keep a database core busy.
 */
export class SharedBatchStates<State> {
  readonly #look: (batchId: string) => Promise<State>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #looks = new Map<string, Look<State>>();

  constructor(
    look: (batchId: string) => Promise<State>,
    maxAgeMs: number,
    now: () => number = () => performance.now(),
  ) {
    this.#look = look;
    this.#maxAgeMs = maxAgeMs;
    this.#now = now;
  }

  /**
   * The batch's state from the look still running, or from one begun less than `maxAgeMs` ago,
   * or from a new one.
   */
  get(batchId: string): Promise<State> {
    const now = this.#now();
    const recent = this.#looks.get(batchId);
    if (recent && (!recent.settled || now - recent.at < this.#maxAgeMs)) return recent.state;
    const look: Look<State> = { at: now, state: this.#look(batchId), settled: false };
    this.#looks.set(batchId, look);
    const forget = () => {
      if (this.#looks.get(batchId) === look) this.#looks.delete(batchId);
    };
    look.state.then(
      () => {
        look.settled = true;
        // Forgotten once stale, so batches no one follows any more hold no memory.
        const timer = setTimeout(forget, this.#maxAgeMs);
        timer.unref?.();
      },
      () => {
        // A failed look is not handed to anyone who asks after it failed.
        look.settled = true;
        forget();
      },
    );
    return look.state;
  }

  /** Batches with a look kept (for tests and metrics). */
  get size(): number {
    return this.#looks.size;
  }
}

interface Look<State> {
  readonly at: number;
  readonly state: Promise<State>;
  settled: boolean;
}
