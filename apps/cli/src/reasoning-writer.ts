/** Where reasoning goes: stderr, so that stdout holds only the answer. */
export interface ReasoningTarget {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

const dim = '\u001b[2m';
const normal = '\u001b[22m';

/**
 * Writes a model's reasoning as it streams, apart from the answer: dimmed on a terminal (as
 * llm 0.32 shows it), plain when stderr is a file or a pipe, and nothing when hidden.
 */
export class ReasoningWriter {
  readonly #target: ReasoningTarget;
  readonly #shown: boolean;
  #open = false;

  constructor(target: ReasoningTarget, shown: boolean) {
    this.#target = target;
    this.#shown = shown;
  }

  write(text: string): void {
    if (!this.#shown || text === '') return;
    if (!this.#open && this.#target.isTTY) this.#target.write(dim);
    this.#open = true;
    this.#target.write(text);
  }

  /** Ends a run of reasoning on its own line, so that the answer after it starts on a fresh one. */
  end(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#target.write(this.#target.isTTY ? `${normal}\n` : '\n');
  }
}
