import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FailureTraits, LlmqError } from '@llmq/core';

/** The file in the data folder that names the process using it. */
export const lockFileName = 'llmq.lock';

/** Another live process uses the data folder: PGlite would be corrupted by two. */
export class DataFolderLockedError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'data-folder-locked',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'DataFolderLockedError';
  readonly folder: string;
  readonly pid: number;

  constructor(folder: string, pid: number, lockFile: string) {
    super(
      `The data folder ${folder} is in use by another llmq process (pid ${pid}): stop it, or give this one a folder of its own with LLMQ_DATA_DIR. If process ${pid} is not llmq, remove ${lockFile}`,
    );
    this.folder = folder;
    this.pid = pid;
  }
}

/** Other processes kept replacing the lock while this one tried to take it over. */
export class DataFolderContendedError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'data-folder-contended',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'DataFolderContendedError';
}

export interface DataFolderLock {
  /** The data folder's real path (symbolic links resolved). */
  readonly folder: string;
  readonly lockFile: string;
  /** Remove the lock file if it is still this process's (also done when the process exits). */
  release(): void;
}

/** Give up after this many rounds of finding a stale lock that another process replaced. */
const maximumRounds = 10;

/**
 * Make this process the only one using a data folder: `<folder>/llmq.lock` holds its pid. A
 * lock whose process is dead (killed, crashed) is taken over; the lock goes when this process
 * exits, however it exits short of a kill.
 */
export async function lockDataFolder(dataDir: string): Promise<DataFolderLock> {
  await mkdir(dataDir, { recursive: true });
  const folder = await realpath(dataDir);
  const lockFile = join(folder, lockFileName);
  const mine = `${process.pid}\n`;
  // The pid is written in full before the lock appears (link is exclusive and atomic): nobody
  // ever reads a lock that is still empty.
  const draft = join(folder, `${lockFileName}.${process.pid}.new`);
  await writeFile(draft, mine);
  try {
    for (let round = 0; ; round += 1) {
      if (round === maximumRounds) {
        throw new DataFolderContendedError(
          `Could not take the lock ${lockFile}: other processes keep replacing it`,
        );
      }
      try {
        await placeLock(draft, lockFile, mine);
        break;
      } catch (error) {
        if (codeOf(error) !== 'EEXIST') throw error;
      }
      const holder = await readHolder(lockFile);
      if (holder === undefined) continue;
      if (isAlive(holder.pid)) throw new DataFolderLockedError(folder, holder.pid, lockFile);
      await removeStale(lockFile, holder.text);
    }
  } finally {
    await unlink(draft).catch(() => undefined);
  }
  const release = () => {
    process.removeListener('exit', release);
    try {
      if (readFileSync(lockFile, 'utf8') === mine) unlinkSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once('exit', release);
  return { folder, lockFile, release };
}

/** Folders without hard links (some mounted shares) only have an exclusive create. */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Create the lock from the draft, or fail with EEXIST when there is one. */
async function placeLock(draft: string, lockFile: string, text: string): Promise<void> {
  try {
    await link(draft, lockFile);
  } catch (error) {
    if (!noHardLinks.has(codeOf(error) as string)) throw error;
    // A reader may see this lock empty for a moment and take it as stale: removeStale puts it
    // back when the pid is in it by the time it looks again.
    await writeFile(lockFile, text, { flag: 'wx' });
  }
}

/** The lock's pid (NaN when it holds none), or undefined when the lock has gone. */
async function readHolder(lockFile: string): Promise<{ pid: number; text: string } | undefined> {
  try {
    const text = await readFile(lockFile, 'utf8');
    return { pid: Number(text.trim()), text };
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  // This process's own pid is from an earlier run (containers start at the same pid each time).
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return codeOf(error) === 'EPERM';
  }
}

/**
 * Move the stale lock aside, then check what was moved: another process may have taken the
 * stale lock over and written its own between our read and the move, and that one goes back.
 */
async function removeStale(lockFile: string, staleText: string): Promise<void> {
  const aside = `${lockFile}.${process.pid}.stale`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return;
    throw error;
  }
  try {
    if ((await readFile(aside, 'utf8')) !== staleText) {
      await link(aside, lockFile).catch((error: unknown) => {
        if (codeOf(error) !== 'EEXIST') throw error;
      });
    }
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

function codeOf(error: unknown): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
