export interface MicroBatcherOptions {
  /** The most inputs one batch takes. */
  readonly maxSize?: number;
  /**
   * How many batches may run at once. While they all run, new calls gather into the next
   * batch: under load batches grow by themselves (as a database groups commits), so a busy
   * worker pays one statement for many jobs, and an idle one waits for nothing.
   */
  readonly maxRunning?: number;
  /**
   * After this long a batch that has not settled stops counting against `maxRunning` (its own
   * callers still wait for it): a statement stuck on a dead connection must not hold up the
   * calls behind it.
   */
  readonly stallMs?: number;
}

/**
 * Gathers calls into batches: those made in the same turn of the event loop, and those made
 * while earlier batches still run. A worker running dozens of jobs at once writes their rows in
 * one statement instead of dozens of round trips. Each caller gets its own result or the
 * batch's error.
 */
export class MicroBatcher<Input, Output> {
  readonly #run: (inputs: Input[]) => Promise<Output[]>;
  readonly #maxSize: number;
  readonly #maxRunning: number;
  readonly #stallMs: number;
  #pending: Array<{
    input: Input;
    resolve: (output: Output) => void;
    reject: (error: unknown) => void;
  }> = [];
  #scheduled = false;
  #running = 0;

  /** `run` answers one output per input, in order. */
  constructor(run: (inputs: Input[]) => Promise<Output[]>, options: MicroBatcherOptions = {}) {
    this.#run = run;
    this.#maxSize = options.maxSize ?? 200;
    this.#maxRunning = options.maxRunning ?? 2;
    this.#stallMs = options.stallMs ?? 5_000;
    if (!(this.#maxSize >= 1 && this.#maxRunning >= 1)) {
      throw new RangeError('MicroBatcher needs maxSize and maxRunning of at least 1');
    }
  }

  submit(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      if (this.#running >= this.#maxRunning) return;
      if (this.#pending.length >= this.#maxSize) {
        this.#flush();
      } else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    if (this.#running >= this.#maxRunning) return;
    const batch = this.#pending.splice(0, this.#maxSize);
    if (batch.length === 0) return;
    this.#running += 1;
    let counted = true;
    const release = () => {
      clearTimeout(stalled);
      if (!counted) return;
      counted = false;
      this.#running -= 1;
      // What gathered meanwhile runs now, and any full batches beside it.
      while (this.#pending.length > 0 && this.#running < this.#maxRunning) this.#flush();
    };
    const stalled = setTimeout(release, this.#stallMs);
    stalled.unref?.();
    let outputs: Promise<Output[]>;
    try {
      outputs = this.#run(batch.map((item) => item.input));
    } catch (error) {
      outputs = Promise.reject(error);
    }
    outputs
      .then((results) => {
        if (!Array.isArray(results) || results.length !== batch.length) {
          throw new Error(
            `A batch of ${batch.length} got ${Array.isArray(results) ? results.length : 'no'} results`,
          );
        }
        for (const [index, item] of batch.entries()) item.resolve(results[index] as Output);
      })
      .catch((error: unknown) => {
        for (const item of batch) item.reject(error);
      })
      .finally(release);
  }
}
