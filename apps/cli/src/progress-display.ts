import type { BatchCountsBody } from '@llmq/contracts';
import { progressBar } from './progress-bar.ts';

/**
 * A batch's progress: a bar redrawn in place on a terminal, or a plain line every few seconds
 * (and at the end) when stdout is a file or a pipe.
 */
export class ProgressDisplay {
  readonly #started = Date.now();
  readonly #interactive: boolean;
  #lastPlain = 0;

  constructor(interactive = Boolean(process.stderr.isTTY)) {
    this.#interactive = interactive;
  }

  update(counts: BatchCountsBody, final = false): void {
    const done = counts.succeeded + counts.failed + counts.cancelled;
    const elapsed = (Date.now() - this.#started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const remaining = counts.total - done;
    const eta = rate > 0 ? `${Math.ceil(remaining / rate)}s` : '?';
    const text = `${done}/${counts.total} done, ${counts.failed} failed, ${rate.toFixed(1)}/s, ETA ${eta}`;
    if (this.#interactive) {
      process.stderr.write(
        `\r${progressBar(done, counts.total)} ${text}\u001b[K${final ? '\n' : ''}`,
      );
      return;
    }
    if (final || Date.now() - this.#lastPlain >= 2_000) {
      this.#lastPlain = Date.now();
      process.stderr.write(`${text}\n`);
    }
  }
}
