import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSecretKey, laptopSecretKey, SecretKeyFileError } from './secret-key.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'llmq-secret-'));
  folders.push(folder);
  return folder;
}

describe('laptopSecretKey', () => {
  it('generates 32 bytes once, in a file only its owner can read, and keeps them', async () => {
    const dataDir = join(await scratch(), 'data');
    const first = await laptopSecretKey(dataDir);
    expect(first.length).toBe(32);
    const file = join(dataDir, 'secret.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.toString('hex'));
    expect((await laptopSecretKey(dataDir)).equals(first)).toBe(true);
  });

  it('gives starts racing on a fresh folder one whole secret, leaving no temporary file', async () => {
    const dataDir = join(await scratch(), 'data');
    const secrets = await Promise.all(Array.from({ length: 20 }, () => laptopSecretKey(dataDir)));
    const hex = secrets.map((secret) => secret.toString('hex'));
    expect(new Set(hex).size).toBe(1);
    expect(hex[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await readdir(dataDir)).toEqual(['secret.key']);
    expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
  });

  it('is not kept from starting by a temporary file a crashed start left behind', async () => {
    const dataDir = await scratch();
    await writeFile(join(dataDir, 'secret.key.12345.0a1b2c3d4e5f.tmp'), '', { mode: 0o600 });
    expect((await laptopSecretKey(dataDir)).length).toBe(32);
    expect((await readFile(join(dataDir, 'secret.key'), 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a file other users may read, saying how to fix it, and leaves it as it was', async () => {
    const dataDir = await scratch();
    const file = join(dataDir, 'secret.key');
    await writeFile(file, `${'ab'.repeat(32)}\n`);
    await chmod(file, 0o644);
    const refused = await laptopSecretKey(dataDir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SecretKeyFileError);
    expect((refused as Error).message).toBe(
      `${file} may be read by other users (mode 0644): run \`chmod 600 ${file}\`; if someone else may have read it, delete it instead to generate a new secret and store the provider keys again`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    await chmod(file, 0o600);
    expect((await laptopSecretKey(dataDir)).toString('hex')).toBe('ab'.repeat(32));
  });

  it('refuses a file that does not hold 64 hex digits, naming it', async () => {
    const dataDir = await scratch();
    await writeFile(join(dataDir, 'secret.key'), 'not a secret\n', { mode: 0o600 });
    await expect(laptopSecretKey(dataDir)).rejects.toThrow(SecretKeyFileError);
    await expect(laptopSecretKey(dataDir)).rejects.toThrow(join(dataDir, 'secret.key'));
  });
});

describe('decodeSecretKey', () => {
  it('reads 64 hex digits and base64 alike', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(decodeSecretKey(bytes.toString('hex')).equals(bytes)).toBe(true);
    expect(decodeSecretKey(bytes.toString('base64')).equals(bytes)).toBe(true);
    expect(decodeSecretKey(bytes.toString('base64url')).equals(bytes)).toBe(true);
  });
});
