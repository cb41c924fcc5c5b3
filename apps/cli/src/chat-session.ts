import { createInterface, type Interface } from 'node:readline';
import { LlmqApiError, type LlmqClient } from '@llmq/client';
import { ChatInput } from './chat-input.ts';
import { editInEditor } from './edit-in-editor.ts';
import { failureOf, waitForEnd } from './prompt-end.ts';
import { ReasoningWriter } from './reasoning-writer.ts';
import { streamAnswer } from './stream-answer.ts';
import { ToolDebugWriter } from './tool-debug-writer.ts';
import type { toolRequestFields } from './tool-options.ts';

export interface ChatSettings {
  /** Undefined: the server's default model. */
  readonly model: string | undefined;
  /** Sent with the first prompt only, as llm chat does: the conversation keeps it. */
  readonly system: string | undefined;
  readonly options: Record<string, unknown> | undefined;
  readonly conversationId: string | undefined;
  readonly reasoning: boolean;
  /** The tools and chain limit sent with every prompt. */
  readonly tools: ReturnType<typeof toolRequestFields>;
  /** `--td`: each tool run on stderr. */
  readonly toolsDebug: boolean;
  readonly editor: string | undefined;
}

/** The answer being streamed, so that Ctrl-C can cancel it (its id once the server gave one). */
interface Answering {
  readonly controller: AbortController;
  id?: string;
  /** Resolves to whether the server cancelled it (false: it had ended already). */
  cancelled?: Promise<boolean>;
}

/**
 * One `llmq chat` session on one conversation. On a terminal it shows a `> ` prompt and reads
 * Ctrl-C from readline; from a pipe it reads lines without decoration and Ctrl-C is a signal.
 * Either way Ctrl-C while an answer streams cancels that prompt on the server and goes on; at
 * the prompt (or twice in a row) it ends the session.
 */
export class ChatSession {
  readonly #client: LlmqClient;
  readonly #settings: ChatSettings;
  readonly #interactive = process.stdin.isTTY === true;
  readonly #input = new ChatInput();
  readonly #lines: Interface;
  #conversationId: string | undefined;
  #system: string | undefined;
  #answering: Answering | undefined;
  #interruptedAtPrompt = false;
  #editing = false;
  #exitCode = 0;

  constructor(client: LlmqClient, settings: ChatSettings) {
    this.#client = client;
    this.#settings = settings;
    this.#conversationId = settings.conversationId;
    this.#system = settings.system;
    this.#lines = createInterface({
      input: process.stdin,
      output: this.#interactive ? process.stdout : undefined,
      terminal: this.#interactive,
      prompt: '> ',
    });
  }

  /** Runs until exit, quit, the end of input or Ctrl-C at the prompt; gives the exit code. */
  async run(): Promise<number> {
    const interrupt = () => this.#interrupt();
    this.#lines.on('SIGINT', interrupt);
    process.on('SIGINT', interrupt);
    try {
      this.#showPrompt();
      for await (const line of this.#lines) {
        this.#interruptedAtPrompt = false;
        const action = this.#input.accept(line);
        if (action?.kind === 'exit') break;
        if (action?.kind === 'send') await this.#turn(action.text);
        if (action?.kind === 'edit') await this.#edit();
        this.#showPrompt();
      }
    } finally {
      process.off('SIGINT', interrupt);
      this.#lines.close();
    }
    return this.#exitCode;
  }

  #showPrompt(): void {
    if (!this.#interactive) return;
    this.#lines.setPrompt(this.#input.collecting ? '' : '> ');
    this.#lines.prompt();
  }

  #interrupt(): void {
    // The editor has the terminal: its Ctrl-C is its own (the terminal signals us too).
    if (this.#editing) return;
    const answering = this.#answering;
    if (answering) {
      answering.controller.abort();
      if (answering.id) answering.cancelled ??= this.#startCancel(answering.id);
      return;
    }
    // A line half typed on a terminal is dropped first, as shells do; otherwise Ctrl-C ends.
    if (this.#interactive && this.#lines.line !== '' && !this.#interruptedAtPrompt) {
      this.#interruptedAtPrompt = true;
      this.#lines.write('', { ctrl: true, name: 'u' });
      process.stdout.write('\n');
      this.#showPrompt();
      return;
    }
    if (this.#interactive) process.stdout.write('\n');
    this.#exitCode = 130;
    this.#lines.close();
  }

  /**
   * Asks the server to cancel, with a handler attached at once: the turn awaits the outcome only
   * once the stream has ended, and a refusal meanwhile would be an unhandled rejection, which
   * ends the process. The turn still sees the error when it awaits the promise.
   */
  #startCancel(id: string): Promise<boolean> {
    const cancelled = this.#cancel(id);
    cancelled.catch(() => undefined);
    return cancelled;
  }

  async #cancel(id: string): Promise<boolean> {
    try {
      await this.#client.cancelPrompt(id);
      return true;
    } catch (error) {
      // The prompt ended meanwhile: the server says there is nothing to cancel (409).
      if (error instanceof LlmqApiError && error.status === 409) return false;
      throw error;
    }
  }

  async #edit(): Promise<void> {
    this.#lines.pause();
    if (this.#interactive) process.stdin.setRawMode(false);
    this.#editing = true;
    let text: string;
    try {
      text = await editInEditor(this.#settings.editor);
    } catch (error) {
      reportError(error);
      return;
    } finally {
      this.#editing = false;
      if (this.#interactive) process.stdin.setRawMode(true);
      this.#lines.resume();
    }
    if (text.trim() === '') {
      process.stderr.write('Nothing to send: the file was left empty\n');
      return;
    }
    if (this.#interactive) process.stdout.write(`${text.trimEnd()}\n`);
    await this.#turn(text.trimEnd());
  }

  /**
   * One prompt and its answer. What goes wrong (a refused prompt, the server unavailable or
   * busy, a failed cancel) is said and the session goes on: it is one turn, not the chat.
   */
  async #turn(text: string): Promise<void> {
    try {
      await this.#ask(text);
    } catch (error) {
      reportError(error);
    }
  }

  async #ask(text: string): Promise<void> {
    const answering: Answering = { controller: new AbortController() };
    this.#answering = answering;
    let id: string;
    try {
      const { model, options, reasoning, tools, toolsDebug } = this.#settings;
      const accepted = await this.#client.createPrompt({
        ...(model ? { model } : {}),
        prompt: text,
        ...(this.#system ? { system: this.#system } : {}),
        ...(options ? { options } : {}),
        ...(this.#conversationId ? { conversation_id: this.#conversationId } : {}),
        ...tools,
      });
      id = accepted.id;
      this.#system = undefined;
      this.#conversationId = accepted.conversation_id ?? this.#conversationId;
      answering.id = id;
      if (answering.controller.signal.aborted) answering.cancelled = this.#startCancel(id);
      await streamAnswer(this.#client, id, {
        reasoning: new ReasoningWriter(process.stderr, reasoning),
        tools: new ToolDebugWriter(process.stderr, toolsDebug),
        printText: true,
        signal: answering.controller.signal,
      });
    } finally {
      // Once the answer is printed, Ctrl-C is at the prompt again: it ends the session.
      this.#answering = undefined;
    }
    if (answering.cancelled && (await answering.cancelled)) {
      process.stderr.write('[answer cancelled]\n');
      return;
    }
    const failure = failureOf(await waitForEnd(this.#client, id));
    if (failure) process.stderr.write(`Error: ${failure}\n`);
  }
}

/** `Error: …` on stderr, as the other commands print it, without ending the session. */
function reportError(error: unknown): void {
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
}
