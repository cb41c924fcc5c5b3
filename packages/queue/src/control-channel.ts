import type { Redis } from 'ioredis';
import { z } from 'zod';

export const controlMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cancel'), promptId: z.string() }),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/**
 * A Redis pub/sub channel from api processes to every worker: a cancel published by any api
 * process reaches the worker running the prompt, wherever it is.
 */
export class ControlChannel {
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;

  constructor(commands: Redis, subscriber: Redis, prefix: string) {
    this.#commands = commands;
    this.#subscriber = subscriber;
    this.#channel = `${prefix}:control`;
  }

  async publish(message: ControlMessage): Promise<void> {
    await this.#commands.publish(this.#channel, JSON.stringify(message));
  }

  /** Receive every message; returns a function that stops receiving. */
  async subscribe(handler: (message: ControlMessage) => void): Promise<() => Promise<void>> {
    const listener = (channel: string, raw: string) => {
      if (channel !== this.#channel) return;
      const parsed = controlMessageSchema.safeParse(safeJson(raw));
      if (parsed.success) handler(parsed.data);
    };
    this.#subscriber.on('message', listener);
    await this.#subscriber.subscribe(this.#channel);
    return async () => {
      this.#subscriber.off('message', listener);
      await this.#subscriber.unsubscribe(this.#channel).catch(() => undefined);
    };
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
