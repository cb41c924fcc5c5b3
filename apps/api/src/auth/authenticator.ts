import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type ApiKeyRow,
  countActiveApiKeys,
  type Database,
  findUnrevokedApiKey,
  isApiKeyActive,
} from '@llmq/db/reads';

/** Who is calling: the owner their data is scoped to (undefined: no keys, nothing scoped). */
export interface Caller {
  readonly owner: string | undefined;
  readonly admin: boolean;
  /**
   * The key the caller came with, as a stream token records it: `key:<id>` for an owner key,
   * `admin:<fingerprint>` for an admin key, '' without keys. A token works only while it holds.
   */
  readonly credential: string;
  /** The owner key's row (its id, allowed models, limits, webhook); none for admin keys. */
  readonly apiKey?: ApiKeyRow | undefined;
}

/** The caller while no key exists: unscoped, and allowed what an admin is. */
export const openCaller: Caller = { owner: undefined, admin: true, credential: '' };

/**
 * How long an answer about keys (whether any exist, whether one is still active) is reused: a
 * key created or revoked on another api process takes effect here within this long.
 */
export const keyRecheckMs = 2_000;

/** The owner of everything made with an admin key (from LLMQ_API_KEYS). */
export const adminOwner = 'admin';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new API key: `llmq_` and 32 random bytes. */
export function newApiKey(): string {
  return `llmq_${randomBytes(32).toString('base64url')}`;
}

export type Authentication =
  | { readonly outcome: 'open' }
  | { readonly outcome: 'caller'; readonly caller: Caller }
  | { readonly outcome: 'refused'; readonly reason: string };

/**
 * Bearer keys: the ones in LLMQ_API_KEYS are admin keys; owner keys are rows of `api_keys`
 * (hashed). Once any key exists every /v1 route needs one. Whether keys exist is looked up at
 * most every couple of seconds, so a key created by another api process takes effect here soon.
 */
export class Authenticator {
  readonly #db: Database;
  readonly #adminHashes: Buffer[];
  #keysExist: { value: boolean; checkedAt: number } | undefined;
  readonly #activeKeys = new Map<string, { active: boolean; checkedAt: number }>();

  constructor(db: Database, adminKeys: readonly string[]) {
    this.#db = db;
    this.#adminHashes = adminKeys.map((key) => Buffer.from(hashKey(key), 'hex'));
  }

  get hasAdminKeys(): boolean {
    return this.#adminHashes.length > 0;
  }

  /** Whether keys are required: admin keys are configured, or owner keys exist. */
  async required(): Promise<boolean> {
    if (this.#adminHashes.length > 0) return true;
    const now = Date.now();
    if (!this.#keysExist || now - this.#keysExist.checkedAt > keyRecheckMs) {
      this.#keysExist = { value: (await countActiveApiKeys(this.#db)) > 0, checkedAt: now };
    }
    return this.#keysExist.value;
  }

  /** Forget the cached answers (a key was created or revoked here). */
  invalidate(): void {
    this.#keysExist = undefined;
    this.#activeKeys.clear();
  }

  /**
   * Whether a caller's credential (from a stream token) still opens this api: its owner key is
   * neither revoked nor expired, its admin key is still configured, or, for '', keys are still not required.
   * Owner keys are looked up at most every {@link keyRecheckMs} per key, so opening a stream
   * costs no query, and a revocation or an expiry reaches the tokens of that key within that
   * bound.
   */
  async credentialValid(credential: string): Promise<boolean> {
    if (credential === '') return !(await this.required());
    const separator = credential.indexOf(':');
    const kind = credential.slice(0, separator);
    const name = credential.slice(separator + 1);
    if (kind === 'admin') return this.#adminHashes.some((hash) => fingerprint(hash) === name);
    if (kind !== 'key') return false;
    const now = Date.now();
    const cached = this.#activeKeys.get(name);
    if (cached && now - cached.checkedAt <= keyRecheckMs) return cached.active;
    const active = await isApiKeyActive(this.#db, name);
    // Bounded: ids come only from tokens this api signed, but a map must never grow forever.
    if (this.#activeKeys.size >= 10_000) this.#activeKeys.clear();
    this.#activeKeys.set(name, { active, checkedAt: now });
    return active;
  }

  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (!(await this.required())) return { outcome: 'open' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) {
      return {
        outcome: 'refused',
        reason: 'This server needs an API key: send it as Authorization: Bearer <key>',
      };
    }
    const hash = Buffer.from(hashKey(match[1] as string), 'hex');
    const admin = this.#adminHashes.find((each) => timingSafeEqual(each, hash));
    if (admin) {
      return {
        outcome: 'caller',
        caller: { owner: adminOwner, admin: true, credential: `admin:${fingerprint(admin)}` },
      };
    }
    const key = await findUnrevokedApiKey(this.#db, hash.toString('hex'));
    if (!key)
      return { outcome: 'refused', reason: 'The API key is not valid (unknown or revoked)' };
    if (key.expiresAt !== null && key.expiresAt.getTime() <= Date.now()) {
      return {
        outcome: 'refused',
        reason: `The API key expired at ${key.expiresAt.toISOString()}; ask an admin for a new one`,
      };
    }
    return {
      outcome: 'caller',
      caller: { owner: key.owner, admin: false, credential: `key:${key.id}`, apiKey: key },
    };
  }
}

/** Names an admin key in a stream token: part of its hash, which tells nothing of the key. */
function fingerprint(adminHash: Buffer): string {
  return adminHash.subarray(0, 8).toString('hex');
}
