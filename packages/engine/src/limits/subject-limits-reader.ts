import { type Database, type LimitedKey, type LimitedOwner, limitedSubjects } from '@llmq/db';

/** How long the limits read from the database are used before they are read again. */
export const limitsRecheckMs = 2_000;

/** Whose work: the prompt's owner and the owner key that made it (either may be absent). */
export interface Subject {
  readonly owner?: string | null | undefined;
  readonly apiKeyId?: string | null | undefined;
}

/** The limits that bind one piece of work: its key's and its owner's, each checked alone. */
export interface EffectiveLimits {
  readonly key: LimitedKey | undefined;
  readonly owner: LimitedOwner | undefined;
}

interface Snapshot {
  readonly keys: ReadonlyMap<string, LimitedKey>;
  readonly owners: ReadonlyMap<string, LimitedOwner>;
  readonly readAt: number;
}

/**
 * The limits of every key and owner that has any, read whole from the database at most every
 * {@link limitsRecheckMs} (they are few: only subjects an admin limited): looking up a subject
 * without limits then costs no query, on the api's submissions and the workers' job starts.
 * A limit changed by an admin holds everywhere within that time.
 */
export class SubjectLimitsReader {
  readonly #db: Database;
  readonly #recheckMs: number;
  #snapshot: Snapshot | undefined;
  #reading: Promise<Snapshot> | undefined;

  constructor(db: Database, recheckMs = limitsRecheckMs) {
    this.#db = db;
    this.#recheckMs = recheckMs;
  }

  /** The key's and the owner's limits; undefined when neither has any. */
  async limitsOf(subject: Subject): Promise<EffectiveLimits | undefined> {
    return (await this.limitsRead(subject)).limits;
  }

  /**
   * The key's and the owner's limits, with when the database read they come from began (epoch
   * ms): a decision made on them knows no change made after that.
   */
  async limitsRead(
    subject: Subject,
  ): Promise<{ limits: EffectiveLimits | undefined; readAt: number }> {
    const snapshot = await this.#current();
    const key = subject.apiKeyId ? snapshot.keys.get(subject.apiKeyId) : undefined;
    const owner = subject.owner ? snapshot.owners.get(subject.owner) : undefined;
    return { limits: key || owner ? { key, owner } : undefined, readAt: snapshot.readAt };
  }

  /** Whether any key or owner has limits at all. */
  async anyLimits(): Promise<boolean> {
    const snapshot = await this.#current();
    return snapshot.keys.size > 0 || snapshot.owners.size > 0;
  }

  /** Read again at the next look (an admin just changed a limit here). */
  forget(): void {
    this.#snapshot = undefined;
  }

  async #current(): Promise<Snapshot> {
    const snapshot = this.#snapshot;
    if (snapshot && Date.now() - snapshot.readAt <= this.#recheckMs) return snapshot;
    // One read at a time: every caller waiting meanwhile shares it.
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<Snapshot> {
    // Stamped before the read: a change committed during it may be missing from it.
    const readAt = Date.now();
    const { keys, owners } = await limitedSubjects(this.#db);
    const snapshot: Snapshot = {
      keys: new Map(keys.map((key) => [key.id, key])),
      owners: new Map(owners.filter(hasLimit).map((owner) => [owner.owner, owner])),
      readAt,
    };
    this.#snapshot = snapshot;
    return snapshot;
  }
}

/** An owner_limits row may have every limit cleared: it limits nothing then. */
function hasLimit(limits: LimitedOwner): boolean {
  return (
    limits.budgetUsd !== null ||
    limits.requestsPerMinute !== null ||
    limits.tokensPerMinute !== null ||
    limits.maxConcurrent !== null
  );
}
