import { createHmac, randomBytes } from 'node:crypto';

const secretPrefix = 'whsec_';

/**
 * Signs webhook bodies as Standard Webhooks specifies: `v1,` and the base64 HMAC-SHA256, keyed
 * with the secret's bytes, of `{webhook-id}.{webhook-timestamp}.{body}`.
 */
export class WebhookSigner {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  /** A signer of a `whsec_<base64>` secret. */
  static fromSecret(secret: string): WebhookSigner {
    return new WebhookSigner(Buffer.from(secret.slice(secretPrefix.length), 'base64'));
  }

  /** A new random secret's signer (32 bytes, as Standard Webhooks' libraries make). */
  static generate(): WebhookSigner {
    return new WebhookSigner(randomBytes(32));
  }

  /** The secret as receivers configure it: `whsec_` and its bytes in base64. */
  get secret(): string {
    return `${secretPrefix}${this.#key.toString('base64')}`;
  }

  /** The `webhook-signature` header's value for one message. */
  sign(id: string, timestampSeconds: number, body: string): string {
    const digest = createHmac('sha256', this.#key)
      .update(`${id}.${timestampSeconds}.${body}`)
      .digest('base64');
    return `v1,${digest}`;
  }
}
