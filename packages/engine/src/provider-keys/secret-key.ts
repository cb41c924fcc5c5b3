import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
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
 * Laptop mode's secret: the one kept in the data folder, or a new random one at the first start.
 * A new secret is written whole to a temporary file (mode 0600) beside it and then linked into
 * place, so the file never exists half-written: another start reading it at the same moment, or
 * a crash mid-write, cannot leave or see an empty secret. When two starts race, the first link
 * wins and both use its secret.
 *
 * A file that other users may read (group or other bits set, e.g. restored from a backup as
 * 0644) is refused rather than tightened: its secret may have been read already, which only the
 * user can judge (chmod it, or delete it and store the provider keys again).
 */
export async function laptopSecretKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, secretKeyFileName);
  await mkdir(dataDir, { recursive: true });
  if (!(await exists(file))) await writeSecretFile(file);
  await requirePrivate(file);
  const text = (await readFile(file, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new SecretKeyFileError(
      `${file} does not hold 64 hex digits: restore it, or delete it to generate a new secret (provider keys stored with the old one must then be stored again)`,
    );
  }
  return Buffer.from(text, 'hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function writeSecretFile(file: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
      // On disk before it gets its name: a power cut cannot leave the name on an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, file);
    } catch (error) {
      // Another start linked its secret first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } finally {
    await rm(temporary, { force: true });
  }
}

async function requirePrivate(file: string): Promise<void> {
  // Windows reports no POSIX permission bits worth checking.
  if (process.platform === 'win32') return;
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  throw new SecretKeyFileError(
    `${file} may be read by other users (mode ${mode.toString(8).padStart(4, '0')}): run \`chmod 600 ${file}\`; if someone else may have read it, delete it instead to generate a new secret and store the provider keys again`,
  );
}
