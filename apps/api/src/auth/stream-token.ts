import { createHmac, timingSafeEqual } from 'node:crypto';

export type StreamKind = 'prompt' | 'batch';

export interface StreamTokenClaims {
  readonly kind: StreamKind;
  readonly id: string;
  /** The owner the stream is read as ('' when unscoped). */
  readonly owner: string;
  /** Seconds since the epoch after which the token is refused. */
  readonly expires: number;
  /** The key that asked for the token (`Caller.credential`): the token dies with it. */
  readonly credential: string;
}

const encode = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/**
 * A short-lived token that lets a browser's EventSource (which cannot send headers) read one
 * stream: `?token=`. It names the stream's kind and id, the owner and the key that asked for it,
 * and is signed (HMAC-SHA256).
 */
export function createStreamToken(secret: Buffer, claims: StreamTokenClaims): string {
  const payload = encode(
    JSON.stringify([claims.kind, claims.id, claims.owner, claims.expires, claims.credential]),
  );
  return `${payload}.${sign(secret, payload)}`;
}

/**
 * The owner a token grants for this stream and the key it came from, or undefined when it is
 * forged, expired or for another stream. Whether that key still holds is the caller's check.
 */
export function verifyStreamToken(
  secret: Buffer,
  token: string,
  kind: StreamKind,
  id: string,
  now = Date.now(),
): { owner: string; credential: string } | undefined {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return undefined;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(claims) || claims.length !== 5) return undefined;
  const [claimedKind, claimedId, owner, expires, credential] = claims as unknown[];
  if (
    claimedKind !== kind ||
    claimedId !== id ||
    typeof owner !== 'string' ||
    typeof expires !== 'number' ||
    typeof credential !== 'string'
  ) {
    return undefined;
  }
  if (expires * 1000 < now) return undefined;
  return { owner, credential };
}
