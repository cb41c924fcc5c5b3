import type { AsyncModel, ModelRegistry } from '@llmq/core';
import {
  type Database,
  deleteProviderKey,
  listProviderKeys,
  type ProviderKeyRow,
  putProviderKey,
} from '@llmq/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { InvalidRequestError } from '../failures/service-errors.ts';
import {
  ModelUnavailableError,
  SecretKeyMissingError,
  unavailableReason,
} from './provider-key-errors.ts';
import type { SecretBox } from './secret-box.ts';

export interface ProviderKeysOptions {
  readonly db: Database;
  readonly models: ModelRegistry;
  /** Seals and opens stored keys; undefined when the process has no LLMQ_SECRET_KEY. */
  readonly box: SecretBox | undefined;
  /** Publishes that a key changed. */
  readonly publisher: Redis;
  /** Hears that a key changed (the process's shared subscriber connection). */
  readonly subscriber: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  /**
   * The longest a process keeps what it read of the table: the bound on staleness when a change
   * message was lost (published while this process's subscriber was reconnecting).
   */
  readonly maxAgeMs?: number | undefined;
}

/** What GET /v1/models says of a model's key. */
export interface ModelAvailability {
  readonly available: boolean;
  readonly reason: string | null;
}

const defaultMaxAgeMs = 10_000;
/**
 * The shortest key whose last four characters are kept to tell keys apart (as the contract's
 * `last_four` says): of a shorter key, four characters would give away too much.
 */
const lastFourMinLength = 12;

/**
 * Provider keys at use: a model's key is its plugin's (the environment) first, else the one an
 * admin stored (`PUT /v1/provider-keys/:name`), opened with the server's secret. What was read of
 * the table is kept until a change is announced on `<prefix>:provider-keys` (every api and worker
 * process hears it at once) or `maxAgeMs` passes, so no process needs a restart and a job costs
 * no query for its key.
 */
export class ProviderKeys {
  readonly #options: ProviderKeysOptions;
  readonly #channel: string;
  readonly #maxAgeMs: number;
  #loaded: Promise<ReadonlyMap<string, string>> | undefined;
  #loadedAt = 0;
  #warnedNoSecret = false;
  #stop: (() => void) | undefined;

  constructor(options: ProviderKeysOptions) {
    this.#options = options;
    this.#channel = `${options.prefix}:provider-keys`;
    this.#maxAgeMs = options.maxAgeMs ?? defaultMaxAgeMs;
  }

  /** Listen for changes announced by other processes. */
  async start(): Promise<void> {
    const { subscriber } = this.#options;
    const onMessage = (channel: string) => {
      if (channel === this.#channel) this.#forget();
    };
    // Messages published while the connection was down are lost: read the table again.
    const onReady = () => this.#forget();
    subscriber.on('message', onMessage);
    subscriber.on('ready', onReady);
    this.#stop = () => {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
    };
    await subscriber.subscribe(this.#channel);
  }

  async close(): Promise<void> {
    this.#stop?.();
    await this.#options.subscriber.unsubscribe(this.#channel).catch(() => undefined);
  }

  /** The key to run this model with: its environment's, else the stored one, else none. */
  async keyFor(model: AsyncModel): Promise<string | undefined> {
    if (!model.needsKey || model.key) return model.key;
    return (await this.#stored()).get(model.needsKey);
  }

  async availability(model: AsyncModel): Promise<ModelAvailability> {
    if (!model.needsKey || (await this.keyFor(model))) return { available: true, reason: null };
    return { available: false, reason: unavailableReason(model.needsKey, model.keyEnvVar) };
  }

  /** Refuse a prompt for a model that cannot run for want of its key. */
  async requireAvailable(model: AsyncModel): Promise<void> {
    const { reason } = await this.availability(model);
    if (reason !== null) {
      throw new ModelUnavailableError(model.modelId, model.needsKey as string, reason);
    }
  }

  /** Store (or replace) a key, sealed; every process uses it from its next prompt. */
  async set(name: string, key: string, setBy: string | null): Promise<ProviderKeyRow> {
    this.#requireKnownName(name);
    const { box, db } = this.#options;
    if (!box) throw new SecretKeyMissingError();
    const row = await putProviderKey(db, {
      name,
      encrypted: box.seal(name, key),
      // The column is not null: an empty string stands for "not shown".
      lastFour: key.length >= lastFourMinLength ? key.slice(-4) : '',
      setBy,
    });
    await this.#announce();
    return row;
  }

  /** Remove a stored key; its models are unavailable again unless their environment has one. */
  async delete(name: string): Promise<ProviderKeyRow | undefined> {
    const row = await deleteProviderKey(this.#options.db, name);
    if (row) await this.#announce();
    return row;
  }

  async list(): Promise<ProviderKeyRow[]> {
    return listProviderKeys(this.#options.db);
  }

  /** The key names the registered models need, e.g. `openai`. */
  names(): string[] {
    const names = this.#options.models.models().flatMap((model) => model.needsKey ?? []);
    return [...new Set(names)].sort();
  }

  #requireKnownName(name: string): void {
    const names = this.names();
    if (names.includes(name)) return;
    throw new InvalidRequestError(
      names.length > 0
        ? `No model of this server needs a key named ${name}; the names models need: ${names.join(', ')}`
        : `No model of this server needs a key named ${name}; no loaded model needs a key`,
    );
  }

  async #announce(): Promise<void> {
    this.#forget();
    try {
      await this.#options.publisher.publish(this.#channel, 'changed');
    } catch (error) {
      // The change is stored: the other processes reread within maxAgeMs without the message.
      this.#options.logger.warn(
        { error: (error as Error).message, withinMs: this.#maxAgeMs },
        'a provider key changed but Redis could not announce it: other processes use the change within the cache bound',
      );
    }
  }

  #forget(): void {
    this.#loaded = undefined;
  }

  #stored(): Promise<ReadonlyMap<string, string>> {
    if (!this.#loaded || Date.now() - this.#loadedAt > this.#maxAgeMs) {
      this.#loadedAt = Date.now();
      const loading = this.#load();
      this.#loaded = loading;
      // A failed read (the database is away) is not kept: the next use reads again.
      loading.catch(() => {
        if (this.#loaded === loading) this.#loaded = undefined;
      });
    }
    return this.#loaded;
  }

  async #load(): Promise<ReadonlyMap<string, string>> {
    const { box, db, logger } = this.#options;
    const rows = await listProviderKeys(db);
    const keys = new Map<string, string>();
    if (rows.length === 0) return keys;
    if (!box) {
      if (!this.#warnedNoSecret) {
        logger.warn(
          { names: rows.map((row) => row.name) },
          'provider keys are stored but this process has no LLMQ_SECRET_KEY: they are not used; set the same LLMQ_SECRET_KEY on the api and every worker',
        );
        this.#warnedNoSecret = true;
      }
      return keys;
    }
    for (const row of rows) {
      try {
        keys.set(row.name, box.open(row.name, row.encrypted));
      } catch (error) {
        logger.warn(
          { name: row.name, error: (error as Error).message },
          'stored provider key not used',
        );
      }
    }
    return keys;
  }
}
