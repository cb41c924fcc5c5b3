/**
 * One look at a batch's state at a time, and at most one per `maxAgeMs`, for all of a
 * process's progress streams on that batch: counting a 100,000-item batch reads every item
 * row (some 50 ms of PostgreSQL), and each stream looks four times a second, so ten people
 * watching one batch would otherwise keep a database core busy.
 */
export class SharedBatchStates<State> {
  readonly #look: (batchId: string) => Promise<State>;
  readonly #maxAgeMs: number;
  readonly #looks = new Map<string, { readonly at: number; readonly state: Promise<State> }>();

  constructor(look: (batchId: string) => Promise<State>, maxAgeMs: number) {
    this.#look = look;
    this.#maxAgeMs = maxAgeMs;
  }

  /** The batch's state from a look begun less than `maxAgeMs` ago, or from a new one. */
  get(batchId: string): Promise<State> {
    const now = Date.now();
    const recent = this.#looks.get(batchId);
    if (recent && now - recent.at < this.#maxAgeMs) return recent.state;
    const state = this.#look(batchId);
    const look = { at: now, state };
    this.#looks.set(batchId, look);
    // Forgotten once stale, so batches no one follows any more hold no memory.
    const forget = () => {
      const timer = setTimeout(() => {
        if (this.#looks.get(batchId) === look) this.#looks.delete(batchId);
      }, this.#maxAgeMs);
      timer.unref?.();
    };
    state.then(forget, forget);
    return state;
  }

  /** Batches with a look kept (for tests and metrics). */
  get size(): number {
    return this.#looks.size;
  }
}
