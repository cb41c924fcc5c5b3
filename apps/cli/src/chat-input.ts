/** What a line typed in `llmq chat` asks for, once it is complete. */
export type ChatAction =
  | { readonly kind: 'send'; readonly text: string }
  | { readonly kind: 'edit' }
  | { readonly kind: 'exit' };

/**
 * Turns the lines of a chat into actions, with llm's commands: `exit` or `quit` ends,
 * `!edit` opens an editor, `!multi` starts a prompt of several lines that `!end` sends
 * (`!multi word` … `!end word` when the prompt itself holds a line `!end`).
 */
export class ChatInput {
  #multi: { readonly end: string; readonly lines: string[] } | undefined;

  /** Whether the lines typed now go into a `!multi` prompt. */
  get collecting(): boolean {
    return this.#multi !== undefined;
  }

  /** The action the line completes, or undefined when there is nothing to do yet. */
  accept(line: string): ChatAction | undefined {
    if (this.#multi) {
      if (line.trim() !== this.#multi.end) {
        this.#multi.lines.push(line);
        return undefined;
      }
      const text = this.#multi.lines.join('\n');
      this.#multi = undefined;
      return text.trim() === '' ? undefined : { kind: 'send', text };
    }
    const trimmed = line.trim();
    if (trimmed === 'exit' || trimmed === 'quit') return { kind: 'exit' };
    if (trimmed === '!edit') return { kind: 'edit' };
    const multi = /^!multi(?:\s+(\S+))?$/.exec(trimmed);
    if (multi) {
      this.#multi = { end: multi[1] ? `!end ${multi[1]}` : '!end', lines: [] };
      return undefined;
    }
    return trimmed === '' ? undefined : { kind: 'send', text: line };
  }
}
