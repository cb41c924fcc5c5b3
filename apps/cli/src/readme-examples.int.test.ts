import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Bindings,
  type CommandRun,
  checkRun,
  jsonPairs,
  substitutePlaceholders,
} from './expected-output.fixture.ts';
import { type FencedBlock, fencedBlocks, shellSteps } from './readme-blocks.fixture.ts';
import { type ReadmeWorld, useReadmeWorld } from './readme-examples.fixture.ts';

// Every example of the README runs here, extracted from the file itself, so that an example
// that stops working (or a new one that never did) fails the tests instead of a newcomer.
const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
const blocks = fencedBlocks(readme);
const world = useReadmeWorld();
/** The README's placeholder ids, bound as the examples run in order (see expected-output). */
const bindings: Bindings = new Map();
/** A command that hangs (a stream that never ends) fails instead of holding up the run. */
const commandTimeoutMs = 60_000;

const isExample = (block: FencedBlock) => block.language === 'sh' || block.language === 'ts';
const title = (block: FencedBlock) =>
  `${block.language} block at README.md:${block.line}: ${block.lines.find((line) => line.trim() && !line.startsWith('#'))?.trim()}`;

describe('the README examples', () => {
  it('are every block but a short list of marked ones, which say why they are not run', () => {
    // A fence in another language would be neither run nor listed: the layout block is the one
    // without a language, and it is no example.
    expect(blocks.filter((block) => !isExample(block)).map((block) => block.language)).toEqual([
      '',
    ]);
    expect(
      blocks
        .filter((block) => block.notRunBecause)
        .map((block) => `${block.notRunBecause}: ${block.lines[0]?.split('#')[0]?.trim()}`),
    ).toEqual([
      'starts the service: npm start',
      'installs the command globally: npm install -g --loglevel=error .',
    ]);
  });

  it('have the tools they call on this machine', async () => {
    // Named here once, so that a machine without them fails with the names, not mid-example.
    const run = await runProcess(
      'bash',
      ['-c', 'command -v curl jq'],
      world().folder,
      world().environment,
    );
    expect(run.stdout.trim().split('\n'), 'the README examples call curl and jq').toHaveLength(2);
  });

  for (const block of blocks.filter((each) => isExample(each) && !each.notRunBecause)) {
    it(title(block), async () => {
      if (block.language === 'ts') await runScript(block, world());
      else for (const step of shellSteps(block.lines)) await runStep(step, world());
    }, 300_000);
  }
});

async function runStep(
  step: { command: string; expected: readonly string[] },
  { folder, environment, address }: ReadmeWorld,
): Promise<void> {
  const command = atTestServer(substitutePlaceholders(step.command, bindings), address);
  const run = await runProcess('bash', ['-euo', 'pipefail', '-c', command], folder, environment);
  report(command, run);
  const problems = checkRun(step.expected, run, bindings);
  // Without expected output only the exit status is checked: a curl that prints JSON shows
  // what it answered, so the README shows it too, and the test checks it.
  if (
    /(^|[\s;|&(])curl\s/.test(command) &&
    step.expected.length === 0 &&
    jsonPairs(run.stdout).length > 0
  ) {
    problems.push('curl printed JSON: write the output expected below it, as # {"id":"…",…}');
  }
  expect(problems, `${command}\nprinted:\n${run.stdout}${run.stderr}`).toEqual([]);
}

/** A TypeScript example runs as a module of its own with this Node, which strips the types. */
async function runScript(block: FencedBlock, { folder, environment, address }: ReadmeWorld) {
  const source = atTestServer(substitutePlaceholders(block.lines.join('\n'), bindings), address);
  const file = join(folder, `readme-line-${block.line}.mts`);
  await writeFile(file, `${source}\n`);
  const run = await runProcess(process.execPath, [file], folder, environment);
  report(`node ${file}`, run);
  expect(checkRun([], run, bindings), `${source}\nprinted:\n${run.stdout}${run.stderr}`).toEqual(
    [],
  );
}

/** The README's server is `npm start`'s default address; the test's has a port of its own. */
function atTestServer(text: string, address: string): string {
  return text.replaceAll(/\b(localhost|127\.0\.0\.1):3000\b/g, address);
}

function report(command: string, run: CommandRun): void {
  const printed = `${run.stdout}${run.stderr}`;
  const separator = printed === '' || printed.endsWith('\n') ? '' : '\n';
  console.log(`$ ${command}\n${printed}${separator}(exit status ${run.code})`);
}

function runProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  environment: Readonly<Record<string, string>>,
): Promise<CommandRun> {
  return new Promise((done, fail) => {
    const child = spawn(command, [...args], {
      cwd,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: commandTimeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (signal) stderr += `\n(stopped by ${signal} after ${commandTimeoutMs} ms)\n`;
      done({ code, stdout, stderr });
    });
  });
}
