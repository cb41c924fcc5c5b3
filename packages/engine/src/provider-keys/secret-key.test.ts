import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

  it('refuses a file that does not hold 64 hex digits, naming it', async () => {
    const dataDir = await scratch();
    await writeFile(join(dataDir, 'secret.key'), 'not a secret\n');
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
