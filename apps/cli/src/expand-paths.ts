import { glob, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Files named by paths: files as they are, folders recursively, globs expanded; sorted, unique. */
export async function expandPaths(patterns: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const found = await stat(pattern).catch(() => undefined);
    if (found?.isFile()) {
      files.add(resolve(pattern));
    } else if (found?.isDirectory()) {
      for (const file of await filesUnder(pattern)) files.add(resolve(file));
    } else {
      let matched = false;
      for await (const match of glob(pattern)) {
        const matchStat = await stat(match);
        if (matchStat.isFile()) {
          files.add(resolve(match));
          matched = true;
        }
      }
      if (!matched) throw new Error(`no file matches ${pattern}`);
    }
  }
  return [...files].sort();
}

async function filesUnder(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
