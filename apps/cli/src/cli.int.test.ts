import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makePng } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { llmqBin as bin, type Run, useCliServer } from './cli-server.fixture.ts';

const server = useCliServer();
const api = () => server();
const llmq = (args: readonly string[], stdin?: Uint8Array | string) => server().llmq(args, stdin);

describe('the llmq command', () => {
  it('streams the answer to stdout, equal to the stored text, with usage on stderr', async () => {
    const run = await llmq(['-m', 'echo', 'streamed answer', '-o', 'chunk_size', '7', '-u']);
    expect(run.code).toBe(0);
    const [latest] = (await api().client.listPrompts({ limit: 1 })).data;
    expect(run.stdout).toBe(`${latest?.text}\n`);
    expect(JSON.parse(run.stdout).options).toEqual({ chunk_size: 7 });
    expect(run.stderr).toMatch(/^Token usage: 2 input, \d+ output\n$/);
  });

  it('writes the model’s reasoning to stderr, never to stdout, unless --no-reasoning', async () => {
    const thought = 'First the pelican, then the names.';
    const run = await llmq(['-o', 'reasoning', thought, '-o', 'chunk_size', '5', 'pelican']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`${thought}\n`);
    // stdout is the answer alone (the echo's answer repeats its options, the reasoning among them).
    const [latest] = (await api().client.listPrompts({ limit: 1 })).data;
    expect(run.stdout).toBe(`${latest?.text}\n`);
    expect(JSON.parse(run.stdout).options.reasoning).toBe(thought);
    expect(latest?.reasoning).toBe(thought);
    const quiet = await llmq(['--no-reasoning', '-o', 'reasoning', thought, 'pelican']);
    expect(quiet.stderr).toBe('');
    const waited = await llmq(['--no-stream', '-o', 'reasoning', thought, 'pelican']);
    expect(waited.stderr).toBe(`${thought}\n`);
  });

  it('takes the prompt from stdin, and `llmq prompt` works the same', async () => {
    const piped = await llmq([], 'a prompt from a pipe');
    expect(JSON.parse(piped.stdout).prompt).toBe('a prompt from a pipe');
    const explicit = await llmq(['prompt', 'explicit command', '--no-stream']);
    expect(JSON.parse(explicit.stdout).prompt).toBe('explicit command');
  });

  it('attaches a file from stdin with -a -', async () => {
    const image = makePng(1, 2, 3);
    const run = await llmq(['describe it', '-a', '-'], image);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).attachments).toEqual([
      expect.objectContaining({ type: 'image/png', size: image.length }),
    ]);
  });

  it('continues the latest conversation with -c: the model receives the earlier turn', async () => {
    const first = await llmq(['the first turn']);
    const second = await llmq(['-c', 'the second turn']);
    const described = JSON.parse(second.stdout);
    expect(described.previous).toEqual([
      { prompt: 'the first turn', attachments: [], response: first.stdout.trimEnd() },
    ]);
  });

  it('continues a conversation by its id with --cid, not the latest one', async () => {
    const first = await llmq(['the kept turn']);
    const [kept] = (await api().client.listPrompts({ limit: 1 })).data;
    await llmq(['another conversation']);
    const continued = await llmq(['--cid', kept?.conversation_id ?? '', 'and then']);
    expect(continued.code).toBe(0);
    expect(JSON.parse(continued.stdout).previous).toEqual([
      { prompt: 'the kept turn', attachments: [], response: first.stdout.trimEnd() },
    ]);
  });

  it('coerces -o values by the model’s options, and says what is wrong with a bad one', async () => {
    const run = await llmq([
      '-o',
      'delay_ms',
      '1',
      '-o',
      'fail',
      'retryable',
      '-o',
      'fail_attempts',
      '1',
      'coerced',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).options).toEqual({
      delay_ms: 1,
      fail: 'retryable',
      fail_attempts: 1,
    });
    const bad = await llmq(['-o', 'chunk_size', 'lots', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "Error: Option 'chunk_size': Invalid input: expected number, received string. GET /v1/models shows each model's options.\n",
    );
    // The accepted options are listed once, however many are unknown (issue 26, item 3).
    const unknownOptions = await llmq(['-o', 'temperature', '0.2', '-o', 'max_tokens', '50', 'x']);
    expect(unknownOptions.code).toBe(1);
    expect(unknownOptions.stderr).toMatch(
      /^Error: Unknown options 'temperature', 'max_tokens' for model echo; it accepts: delay_ms, chunk_size, [^;]*\. GET \/v1\/models shows each model's options\.\n$/,
    );
    const unknown = await llmq(['-m', 'gpt-9', 'x']);
    expect(unknown.stderr).toBe(
      'Error: Unknown model: gpt-9. GET /v1/models lists the models this server has.\n',
    );
  });

  it('batches a folder of 50 files into a results file, and uploads nothing new the second time', async () => {
    const { folder } = server();
    const images = join(folder, 'images');
    await rm(images, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(images, 'nested'), { recursive: true });
    for (let index = 0; index < 50; index++) {
      await writeFile(
        join(images, index % 2 ? 'nested' : '', `image-${index}.png`),
        makePng(index, 100, 200 - index),
      );
    }
    const out = join(folder, 'results.jsonl');
    const first = await llmq(['batch', 'images', '-p', 'describe', '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('50 files: 50 uploaded, 0 already on the server');
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(50);
    expect(lines.every((line) => line.status === 'succeeded')).toBe(true);
    expect(new Set(lines.map((line) => line.custom_id))).toContain('images/nested/image-1.png');
    const second = await llmq([
      'batch',
      join(images, '**/*.png'),
      '-p',
      'describe again',
      '--out',
      join(folder, 'again.jsonl'),
    ]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('50 files: 0 uploaded, 50 already on the server');
    expect(second.stderr).toMatch(/50\/50 done, 0 failed/);
  });

  it('finds a prompt by a word in its response with logs -q', async () => {
    await llmq(['a question about a narwhal']);
    const run = await llmq(['logs', '-q', 'narwhal', '--json']);
    const found = JSON.parse(run.stdout) as Array<{ prompt: string }>;
    expect(found.map((prompt) => prompt.prompt)).toEqual(['a question about a narwhal']);
    const shown = await llmq(['logs', 'show', (found[0] as unknown as { id: string }).id]);
    expect(shown.stdout).toContain('## Prompt\n\na question about a narwhal');
  });

  it('shows the server’s default model, sets and clears the user’s, and refuses an unknown one', async () => {
    const { configDirectory } = server();
    expect((await llmq(['models', 'default'])).stdout).toBe('echo\n');
    const unknown = await llmq(['models', 'default', 'gpt-9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'Error: Unknown model: gpt-9. `llmq models` lists the models this server has.\n',
    );
    const set = await llmq(['models', 'default', 'echo']);
    expect(set.code).toBe(0);
    expect(set.stderr).toBe('Default model set to echo\n');
    expect(await readFile(join(configDirectory, 'default_model.txt'), 'utf8')).toBe('echo\n');
    expect((await llmq(['models', 'default'])).stdout).toBe('echo\n');
    const listed = await llmq(['models']);
    expect(listed.stdout).toContain('echo (default)\n');
    expect(listed.stdout).toMatch(/\nDefault: echo, yours \(llmq models default\)\n$/);
    expect((await llmq(['with the user’s default'])).code).toBe(0);
    const [prompted] = (await api().client.listPrompts({ limit: 1 })).data;
    expect(prompted?.model).toBe('echo');
    expect((await llmq(['models', 'default', '--clear'])).code).toBe(0);
    expect((await llmq(['models'])).stdout).toMatch(/\nDefault: echo, the server’s\n$/);
  });

  it('shows a batch readably or as JSON; cancel of an ended batch and retry without failures are no-ops (exit 0)', async () => {
    const { client } = server();
    const batch = await client.createBatch({
      model: 'echo',
      items: [{ prompt: 'one' }, { prompt: 'two' }],
    });
    for await (const event of client.followBatch(batch.id)) if (event.type === 'done') break;
    const status = await llmq(['batch', 'status', batch.id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`batch ${batch.id}\nstatus     completed\n`);
    expect(status.stdout).toContain('items      2: 2 succeeded, 0 failed');
    // Every item gave its own prompt: the batch has none, and says why.
    expect(status.stdout).toContain('prompt     none; 2 items use their own prompt\n');
    expect(status.stdout).toContain('100% (2/2)');
    expect(status.stdout).toContain(
      `results    ${server().baseUrl}/v1/batches/${batch.id}/results`,
    );
    const json = await llmq(['batch', 'status', batch.id, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: batch.id, status: 'completed' });

    const cancel = await llmq(['batch', 'cancel', batch.id]);
    expect(cancel.code).toBe(0);
    expect(cancel.stderr).toBe(`batch ${batch.id} is already completed: nothing to cancel\n`);
    expect(cancel.stdout).toContain('status     completed\n');
    const retry = await llmq(['batch', 'retry', batch.id, '--json']);
    expect(retry.code).toBe(0);
    expect(retry.stderr).toBe(`batch ${batch.id} has no failed items: nothing to retry\n`);
    expect(JSON.parse(retry.stdout)).toMatchObject({ id: batch.id, status: 'completed' });

    const failing = await client.createBatch({
      model: 'echo',
      options: { fail: 'fatal' },
      items: [{ prompt: 'fails' }],
    });
    for await (const event of client.followBatch(failing.id)) if (event.type === 'done') break;
    const retried = await llmq(['batch', 'retry', failing.id]);
    expect(retried.code).toBe(0);
    expect(retried.stderr).toBe(`batch ${failing.id}: 1 failed item queued again\n`);
    const missing = await llmq(['batch', 'cancel', '01JCZZZZZZZZZZZZZZZZZZZZZZ']);
    expect(missing.code).toBe(1);
  });

  it('creates, lists and revokes keys; a revoked key stops working', async () => {
    const created = await llmq(['keys', 'create', 'bob']);
    expect(created.code).toBe(0);
    const bob = created.stdout.trim();
    expect(bob).toMatch(/^llmq_/);
    expect((await llmq(['--key', bob, 'logs', '--json'])).stdout.trim()).toBe('[]');
    const listed = JSON.parse((await llmq(['keys', 'list', '--json'])).stdout) as Array<{
      id: string;
      name: string;
    }>;
    const bobKey = listed.find((key) => key.name === 'bob');
    expect(bobKey).toBeDefined();
    expect((await llmq(['keys', 'revoke', bobKey?.id ?? ''])).stdout).toBe(
      `revoked ${bobKey?.id}\n`,
    );
    const refused = await llmq(['--key', bob, 'logs']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error: The API key is not valid (unknown or revoked)\n');
    const notAdmin = await llmq(['--key', 'nonsense', 'keys', 'list']);
    expect(notAdmin.code).toBe(1);
  });

  it('lists models, and names the URL it could not reach', async () => {
    const models = await llmq(['models']);
    expect(models.stdout).toContain('echo (default)\n');
    expect(models.stdout).toMatch(/\nDefault: echo, the server’s\n$/);
    const offline = await new Promise<Run>((done) => {
      const child = spawn(process.execPath, [bin, '--url', 'http://127.0.0.1:9', 'x'], {
        env: process.env,
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      child.stdin.end();
      child.on('close', (code) => done({ code, stdout: '', stderr }));
    });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(
      /^Error: Could not reach the llmq server at http:\/\/127\.0\.0\.1:9/,
    );
  });
});
