import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const command = fileURLToPath(new URL('./llmq.mjs', import.meta.url));
// The machine's own Node (Debian's may be 20), as a user's shell would run the linked command.
const machineNode = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;

/** A port nothing listens on: one the system just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCommand(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(machineNode, [command, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the llmq command (scripts/llmq.mjs, what `npm install -g .` links)', () => {
  let elsewhere: string;
  beforeAll(async () => {
    elsewhere = await mkdtemp(join(tmpdir(), 'llmq-command-'));
  });
  afterAll(async () => {
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('runs the CLI on the pinned Node from any folder, with only the CLI on stdout', async () => {
    const run = await runCommand(['--help'], elsewhere);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('Usage: llmq')).toBe(true);
    expect(run.stderr).not.toContain('Usage: llmq');
  });

  it('exits non-zero with a clear message on stderr when no server answers', async () => {
    const port = await closedPort();
    const run = await runCommand(['--url', `http://127.0.0.1:${port}`, 'models'], elsewhere);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Could not reach the llmq server at http://127.0.0.1:${port}`);
  });
});
