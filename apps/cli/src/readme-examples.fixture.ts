import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestRedis,
  inheritedEnvironment,
  makePng,
  type OpenAICompatibleServer,
  type ServiceProcess,
  sampleFiles,
  startOpenAICompatibleServer,
  startServiceProcess,
  type TestDatabase,
} from '@llmq/testing';
import { afterAll, beforeAll } from 'vitest';

const apiFolder = new URL('../../api/', import.meta.url).pathname;
const cliEntry = new URL('./main.ts', import.meta.url).pathname;

export interface ReadmeWorld {
  /** The api's address, `host:port`, where the README says `localhost:3000`. */
  readonly address: string;
  /** The folder the examples run in, holding the files they name. */
  readonly folder: string;
  /** The environment of every example: `llmq` on the PATH, talking to the test server. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * A live api as `npm start` runs it (worker inside, echo and OpenAI plugins, no API keys), the
 * OpenAI plugin pointed at a local OpenAI-compatible server so that `-m gpt-4o-mini` runs, and a
 * scratch folder with the files the README's examples name. Valid once `beforeAll` has run.
 */
export function useReadmeWorld(): () => ReadmeWorld {
  const testRedis = createTestRedis();
  let testDatabase: TestDatabase | undefined;
  let openai: OpenAICompatibleServer | undefined;
  let server: ServiceProcess | undefined;
  let root = '';
  let world: ReadmeWorld | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'llmq-readme-'));
    testDatabase = await createTestDatabase();
    openai = await startOpenAICompatibleServer();
    server = startServiceProcess(join(apiFolder, 'src/main.ts'), {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: testDatabase.url,
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      STORAGE_URL: `file://${root}/blobs`,
      LLMQ_EMBEDDED_WORKER: 'true',
      LLMQ_PLUGINS: '@llmq/plugin-echo,@llmq/plugin-openai',
      OPENAI_API_KEY: 'sk-readme-examples',
      OPENAI_BASE_URL: openai.baseUrl,
    });
    const { url } = JSON.parse(await server.waitForLine(/llmq listening on/, 60_000)) as {
      url: string;
    };
    const folder = join(root, 'work');
    const bin = join(root, 'bin');
    await mkdir(bin, { recursive: true });
    // `llmq` as the README's global install gives it, but on this checkout's CLI and this Node.
    await writeFile(
      join(bin, 'llmq'),
      `#!/bin/sh\nexec '${process.execPath}' '${cliEntry}' "$@"\n`,
    );
    await chmod(join(bin, 'llmq'), 0o755);
    // `curl -s` exits 0 on a 4xx or 5xx, so a failing request would pass as an example: beside
    // `llmq` is a `curl` that fails on them (exit status 22, which an example may expect).
    const curl = commandPath('curl');
    if (curl) {
      await writeFile(join(bin, 'curl'), `#!/bin/sh\nexec '${curl}' --fail-with-body "$@"\n`);
      await chmod(join(bin, 'curl'), 0o755);
    }
    await writeExampleFiles(folder);
    const inherited = inheritedEnvironment();
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(inherited)) {
      // The examples use no key: the test server has none, like `npm start` on a laptop.
      if (value !== undefined && name !== 'LLMQ_API_KEY') environment[name] = value;
    }
    environment.PATH = `${bin}:${inherited.PATH ?? ''}`;
    environment.LLMQ_URL = url;
    // Never the developer's own llmq folder: a default model set there would change the answers.
    environment.LLMQ_CONFIG_DIR = join(root, 'config');
    world = { address: new URL(url).host, folder, environment };
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await server?.exited;
    await openai?.close();
    await testDatabase?.drop();
    await testRedis.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  return () => {
    if (!world) throw new Error('the README world is not ready yet (beforeAll)');
    return world;
  };
}

/** Where a command is on this PATH, or undefined (the test of the tools then names it). */
function commandPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The files the README's examples name, with content of their kind. */
async function writeExampleFiles(folder: string): Promise<void> {
  // The README shows this file's size (74 bytes) in its upload example's output.
  const cat = makePng(200, 150, 100, 8);
  const files: Record<string, Uint8Array | string> = {
    'cat.png': cat,
    'notes.txt':
      'Pelicans fly in lines, fish with the pouch under their bill and nest in colonies.\n',
    // Items without a prompt of their own, so the batch's prompt is theirs; the cat is uploaded
    // by the README's first example.
    'items.jsonl': jsonLines([
      { custom_id: 'cat', attachments: [{ id: sha256(cat) }] },
      {
        custom_id: 'cat-for-a-child',
        system: 'Answer for a child.',
        attachments: [{ id: sha256(cat) }],
      },
    ]),
    'photos/pelican.png': makePng(240, 240, 230, 4),
    'photos/heron.png': makePng(90, 110, 130, 4),
    'invoices/march.pdf': pdfWith('Invoice 2026-03: 120.50 due'),
    'invoices/april.pdf': pdfWith('Invoice 2026-04: 98.00 due'),
    'person.json': `${JSON.stringify({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
    })}\n`,
    'requests.jsonl': jsonLines(
      ['pelican', 'heron'].map((bird) => ({
        custom_id: bird,
        method: 'POST',
        url: '/v1/chat/completions',
        body: {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: `a ${bird} in one line` }],
        },
      })),
    ),
  };
  for (const [name, content] of Object.entries(files)) {
    const path = join(folder, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  }
  // The README's OpenAI SDK example imports `openai`: the api's copy, found from the folder.
  await mkdir(join(folder, 'node_modules'), { recursive: true });
  await symlink(
    await realpath(join(apiFolder, 'node_modules/openai')),
    join(folder, 'node_modules/openai'),
  );
}

function jsonLines(values: readonly unknown[]): string {
  return values.map((value) => `${JSON.stringify(value)}\n`).join('');
}

function pdfWith(text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([sampleFiles.pdf, Buffer.from(`% ${text}\n`, 'ascii')]));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
