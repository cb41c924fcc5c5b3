import type { Redis } from 'ioredis';

/** What a listener of a channel hears: a message, or that it must read the stream again. */
export type ChannelMessage<Entry> =
  | { readonly kind: 'entry'; readonly entry: Entry }
  | { readonly kind: 'resync' };

export type ChannelListener<Entry> = (message: ChannelMessage<Entry>) => void;

interface Subscription<Entry> {
  readonly listeners: Set<ChannelListener<Entry>>;
  ready: Promise<unknown>;
}

/**
 * Pub/sub channels over one subscriber connection shared by every listener in the process: a
 * channel is subscribed while at least one listener watches it, and each message is parsed once
 * for all of them. After a reconnect ioredis resubscribes, but what was published meanwhile is
 * gone: every listener is told to resync.
 */
export class ChannelSubscriptions<Entry> {
  readonly #subscriber: Redis;
  readonly #parse: (message: string) => Entry;
  readonly #subscriptions = new Map<string, Subscription<Entry>>();
  #connectedBefore = false;

  constructor(subscriber: Redis, parse: (message: string) => Entry) {
    this.#subscriber = subscriber;
    this.#parse = parse;
    subscriber.on('message', (channel: string, message: string) =>
      this.#dispatch(channel, message),
    );
    subscriber.on('ready', () => {
      if (this.#connectedBefore) {
        for (const subscription of this.#subscriptions.values()) {
          for (const listener of subscription.listeners) listener({ kind: 'resync' });
        }
      }
      this.#connectedBefore = true;
    });
  }

  /** The number of channels subscribed to. */
  get size(): number {
    return this.#subscriptions.size;
  }

  async subscribe(channel: string, listener: ChannelListener<Entry>): Promise<void> {
    let subscription = this.#subscriptions.get(channel);
    if (!subscription) {
      subscription = { listeners: new Set(), ready: this.#subscriber.subscribe(channel) };
      this.#subscriptions.set(channel, subscription);
    }
    subscription.listeners.add(listener);
    await subscription.ready;
  }

  /**
   * Stop a listener. Synchronous (undefined) while the channel keeps other listeners: a stream's
   * end pays no promise for it; the last one's unsubscribe is a round trip to wait for.
   */
  unsubscribe(channel: string, listener: ChannelListener<Entry>): Promise<void> | undefined {
    const subscription = this.#subscriptions.get(channel);
    if (!subscription) return undefined;
    subscription.listeners.delete(listener);
    if (subscription.listeners.size > 0) return undefined;
    this.#subscriptions.delete(channel);
    return this.#unsubscribeChannel(channel, subscription);
  }

  async #unsubscribeChannel(channel: string, subscription: Subscription<Entry>): Promise<void> {
    await subscription.ready.catch(() => undefined);
    // A listener may have arrived while the subscription settled.
    if (!this.#subscriptions.has(channel)) {
      await this.#subscriber.unsubscribe(channel).catch(() => undefined);
    }
  }

  #dispatch(channel: string, message: string): void {
    const subscription = this.#subscriptions.get(channel);
    if (!subscription) return;
    // One message for all the channel's listeners (thousands when a prompt has many followers).
    const heard: ChannelMessage<Entry> = { kind: 'entry', entry: this.#parse(message) };
    for (const listener of subscription.listeners) listener(heard);
  }
}
