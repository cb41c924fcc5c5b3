import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { laptopSecretKey } from './secret-key.ts';

// Writing the secret fails once the file is created (a full disk, or a crash at that moment):
// both the one-call `writeFile` and a write through an opened file handle fail that way.
const diskFull = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const noSpace = () =>
    Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  return {
    ...real,
    writeFile: async (...args: Parameters<typeof real.writeFile>) => {
      if (!diskFull.on) return real.writeFile(...args);
      const [file, , options] = args;
      const flag = typeof options === 'object' && options?.flag ? options.flag : 'w';
      await (await real.open(file as string, flag)).close();
      throw noSpace();
    },
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      if (!diskFull.on) return handle;
      return new Proxy(handle, {
        get(target, property) {
          if (property === 'writeFile' || property === 'write') {
            return async () => {
              throw noSpace();
            };
          }
          const value = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
});

const folders: string[] = [];
afterEach(async () => {
  diskFull.on = false;
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

it('leaves no empty secret file when writing it fails, so the next start generates one', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'llmq-secret-'));
  folders.push(dataDir);
  diskFull.on = true;
  await expect(laptopSecretKey(dataDir)).rejects.toThrow('ENOSPC');
  diskFull.on = false;
  expect(await readdir(dataDir)).toEqual([]);
  expect((await laptopSecretKey(dataDir)).length).toBe(32);
});
