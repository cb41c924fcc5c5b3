/**
 * Gathers calls made in the same turn of the event loop into one batch: a worker running
 * dozens of jobs at once writes their rows in one statement instead of dozens of round trips.
 * Each caller gets its own result or the batch's error.
 */
export class MicroBatcher<Input, Output> {
  readonly #run: (inputs: Input[]) => Promise<Output[]>;
  readonly #maxSize: number;
  #pending: Array<{
    input: Input;
    resolve: (output: Output) => void;
    reject: (error: unknown) => void;
  }> = [];
  #scheduled = false;

  /** `run` answers one output per input, in order. */
  constructor(run: (inputs: Input[]) => Promise<Output[]>, maxSize = 200) {
    this.#run = run;
    this.#maxSize = maxSize;
  }

  submit(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      if (this.#pending.length >= this.#maxSize) {
        this.#flush();
      } else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending.splice(0, this.#pending.length);
    if (batch.length === 0) return;
    this.#run(batch.map((item) => item.input)).then(
      (outputs) => {
        for (const [index, item] of batch.entries()) item.resolve(outputs[index] as Output);
      },
      (error: unknown) => {
        for (const item of batch) item.reject(error);
      },
    );
  }
}
