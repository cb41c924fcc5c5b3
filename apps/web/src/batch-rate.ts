/** Items finished per second over the last few seconds of progress samples. */
export class BatchRate {
  readonly #windowMs: number;
  readonly #samples: Array<{ at: number; finished: number }> = [];

  constructor(windowMs = 5_000) {
    this.#windowMs = windowMs;
  }

  /** Add a sample; answers the rate, or undefined until two samples span some time. */
  add(at: number, finished: number): number | undefined {
    this.#samples.push({ at, finished });
    while (this.#samples.length > 2 && at - (this.#samples[1]?.at ?? at) >= this.#windowMs) {
      this.#samples.shift();
    }
    const first = this.#samples[0];
    if (!first || at <= first.at) return undefined;
    return ((finished - first.finished) * 1000) / (at - first.at);
  }

  reset(): void {
    this.#samples.length = 0;
  }
}
