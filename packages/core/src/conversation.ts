import type { z } from 'zod';
import type { CompletedResponse } from './completed-response.ts';
import { assistantMessage, type Message } from './message.ts';
import type { AsyncModel, PromptCallOptions } from './model.ts';
import { newId } from './new-id.ts';
import type { OptionsSchema } from './options.ts';
import type { Response } from './response.ts';

export interface ConversationInit {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  /** Earlier turns loaded from storage, as messages. */
  readonly history?: readonly Message[] | undefined;
}

/**
 * A chain of turns with one model, like llm's `AsyncConversation`. Turn n's prompt carries
 * `[system?] user₁ assistant₁ … userₙ`, attachments of earlier turns included, and is validated
 * like any prompt (llm #1626). An assistant's tool calls and the tool results that answered them
 * are replayed in their places.
 */
export class Conversation<Schema extends OptionsSchema = OptionsSchema> {
  readonly id: string;
  readonly name: string | undefined;
  readonly model: AsyncModel<Schema>;
  /** The turns finished in this process, in order. */
  readonly responses: CompletedResponse[] = [];
  readonly #loaded: readonly Message[];

  constructor(model: AsyncModel<Schema>, init: ConversationInit = {}) {
    this.model = model;
    this.id = init.id ?? newId();
    this.name = init.name;
    this.#loaded = init.history ?? [];
  }

  /** The messages the next turn replays. */
  history(): Message[] {
    const last = this.responses.at(-1);
    if (!last) return [...this.#loaded];
    // The assistant's tool calls are replayed with its text; the results that answer them
    // come in the next turn's prompt (`toolResults`), as a `tool` message.
    return [...last.prompt.messages, assistantMessage(last.text(), last.toolCalls(), last.json())];
  }

  prompt(
    text?: string,
    call: Omit<PromptCallOptions, 'history' | 'conversation'> = {},
  ): Response<z.output<Schema>> {
    const response = this.model.prompt(text, {
      ...call,
      history: this.history(),
      conversation: this as Conversation,
    });
    void response.onDone((completed) => {
      this.responses.push(completed);
    });
    return response;
  }
}
