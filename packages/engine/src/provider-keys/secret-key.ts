import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FailureTraits, LlmqError } from '@llmq/core';

/** Where laptop mode keeps the secret it generated, in its data folder. */
export const secretKeyFileName = 'secret.key';

/** A secret key file that is not 64 hex digits: someone edited it, or another tool wrote it. */
export class SecretKeyFileError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'secret-key-file-invalid',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'SecretKeyFileError';
}

/**
 * The 32 bytes of an `LLMQ_SECRET_KEY` the environment schema accepted: 64 hex digits, or
 * base64 (standard or url-safe) of 32 bytes.
 */
export function decodeSecretKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}

/**
 * Laptop mode's secret: the one kept in the data folder, or a new random one written there
 * (mode 0600) at the first start. The file is created exclusively, so two starts racing agree on
 * the first one written.
 */
export async function laptopSecretKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, secretKeyFileName);
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = (await readFile(file, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new SecretKeyFileError(
      `${file} does not hold 64 hex digits: restore it, or delete it to generate a new secret (provider keys stored with the old one must then be stored again)`,
    );
  }
  return Buffer.from(text, 'hex');
}
