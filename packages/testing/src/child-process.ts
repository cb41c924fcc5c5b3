import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { inheritedEnvironment } from './env.ts';

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Every line the process wrote to stdout and stderr so far. */
  readonly lines: string[];
  /** Resolves with the first line matching, or rejects when the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** The Node flags the api runs with (see scripts/bootstrap.mjs). */
export const serviceNodeFlags = ['--max-semi-space-size=4', '--memory-saver-mode'];

/**
 * The Node flags a worker process runs with (see apps/worker's start script): throughput over
 * memory, as docs/architecture.md ("Process settings") explains.
 */
export const workerNodeFlags = ['--max-semi-space-size=16'];

/**
 * Variables for a child process over the ones this process was given; `undefined` leaves one
 * out (Node's spawn skips undefined values), without touching this process's own environment.
 */
export type ChildEnvironment = Readonly<Record<string, string | undefined>>;

/** Start a TypeScript entry point of the project in a child process with Node (this one). */
export function startServiceProcess(
  entry: string,
  env: ChildEnvironment,
  args: readonly string[] = [],
  nodeFlags: readonly string[] = serviceNodeFlags,
): ServiceProcess {
  return startCommandProcess(process.execPath, [...nodeFlags, entry, ...args], env);
}

/** Start any command (a shell script, a binary) as a child process whose lines are kept. */
export function startCommandProcess(
  command: string,
  args: readonly string[],
  env: ChildEnvironment,
  options: { cwd?: string } = {},
): ServiceProcess {
  const child = spawn(command, [...args], {
    env: { ...inheritedEnvironment(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
  });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const waiter of waiters) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    });
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    lines,
    exited,
    waitForLine: (pattern, timeoutMs = 20_000) => {
      const found = lines.find((line) => pattern.test(line));
      if (found) return Promise.resolve(found);
      return new Promise<string>((resolve, reject) => {
        const waiter = { pattern, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`),
          );
        }, timeoutMs);
        void exited.then((code) => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(
            new Error(
              `process exited (${code}) before a line matching ${pattern}:\n${lines.join('\n')}`,
            ),
          );
        });
        const originalResolve = waiter.resolve;
        waiter.resolve = (line) => {
          clearTimeout(timer);
          originalResolve(line);
        };
      });
    },
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
