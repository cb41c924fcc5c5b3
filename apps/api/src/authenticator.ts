import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { countActiveApiKeys, type Database, findActiveApiKey } from '@llmq/db';

/** Who is calling: the owner their data is scoped to (undefined: no keys, nothing scoped). */
export interface Caller {
  readonly owner: string | undefined;
  readonly admin: boolean;
}

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
    if (!this.#keysExist || now - this.#keysExist.checkedAt > 2_000) {
      this.#keysExist = { value: (await countActiveApiKeys(this.#db)) > 0, checkedAt: now };
    }
    return this.#keysExist.value;
  }

  /** Forget the cached answer (a key was created or revoked here). */
  invalidate(): void {
    this.#keysExist = undefined;
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
    if (this.#adminHashes.some((admin) => timingSafeEqual(admin, hash))) {
      return { outcome: 'caller', caller: { owner: adminOwner, admin: true } };
    }
    const key = await findActiveApiKey(this.#db, hash.toString('hex'));
    if (!key)
      return { outcome: 'refused', reason: 'The API key is not valid (unknown or revoked)' };
    return { outcome: 'caller', caller: { owner: key.owner, admin: false } };
  }
}
