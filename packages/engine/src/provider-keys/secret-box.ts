import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type FailureTraits, LlmqError } from '@llmq/core';

const algorithm = 'aes-256-gcm';
const version = 'v1';

/**
 * A stored provider key that this process's secret cannot open: the secret changed since it was
 * stored, or the row was altered. It is treated as absent (and logged), never used.
 */
export class ProviderKeyUnreadableError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'provider-key-unreadable',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'ProviderKeyUnreadableError';
}

/**
 * Seals provider keys with the server's secret: AES-256-GCM, a random 12-byte IV per seal, and
 * the key's name as additional authenticated data, so a sealed value copied to another name (or
 * altered in any bit) does not open.
 */
export class SecretBox {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    if (secret.length !== 32) throw new RangeError('the secret must be 32 bytes');
    this.#secret = secret;
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
  seal(name: string, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(algorithm, this.#secret, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [version, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(name: string, sealed: string): string {
    const [given, iv, tag, ciphertext] = sealed.split('.');
    if (given !== version || !iv || !tag || ciphertext === undefined) {
      throw new ProviderKeyUnreadableError(`The stored ${name} key is not in a form llmq seals`);
    }
    try {
      const decipher = createDecipheriv(algorithm, this.#secret, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new ProviderKeyUnreadableError(
        `The stored ${name} key does not open with this process's LLMQ_SECRET_KEY: the secret changed since the key was stored (store the key again), or processes of this service have different secrets`,
        { cause: error },
      );
    }
  }
}
