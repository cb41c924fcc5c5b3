import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { multiSchema, parseConciseSchema } from '@llmq/contracts';
import { schemaIdOf } from '@llmq/contracts/schema-id';
import { makePng } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './cli-server.fixture.ts';

const server = useCliServer();
const llmq = (args: readonly string[], stdin?: string) => server().llmq(args, stdin);
const person = 'name, age int: in years';
const personId = schemaIdOf(parseConciseSchema(person));

function jsonLines(text: string): unknown[] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

// The echo model answers a prompt with a schema with the prompt's own JSON, so each test says
// the answer it expects, and one that breaks the schema by giving JSON that does not match.
describe('llmq with schemas', () => {
  it('answers as data with a concise schema: one compact JSON line on a pipe', async () => {
    const run = await llmq(['--schema', person, '{"name": "Ada", "age": 36}']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"name":"Ada","age":36}\n');
    const [latest] = (await server().client.listPrompts({ limit: 1 })).data;
    expect(latest?.data).toEqual({ name: 'Ada', age: 36 });
    expect(latest?.schema_id).toBe(personId);
  });

  it('reads a schema from a JSON file, and finds both prompts by either form in logs --data', async () => {
    const file = join(server().folder, 'person.json');
    await writeFile(file, JSON.stringify(parseConciseSchema(person), null, 2));
    const run = await llmq(['prompt', '--schema', file, '{"name": "Grace", "age": 45}']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ name: 'Grace', age: 45 });
    for (const form of [person, file, personId]) {
      const logs = await llmq(['logs', '--schema', form, '--data']);
      expect(logs.code).toBe(0);
      expect(jsonLines(logs.stdout)).toEqual(
        expect.arrayContaining([
          { name: 'Ada', age: 36 },
          { name: 'Grace', age: 45 },
        ]),
      );
      expect(jsonLines(logs.stdout).every((line) => typeof line === 'object')).toBe(true);
    }
  });

  it('answers a list of matches with --schema-multi, one line per match in logs --data', async () => {
    const matches = '{"items": [{"name": "Ada"}, {"name": "Grace"}]}';
    const run = await llmq(['--schema', 'name', '--schema-multi', matches]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ items: [{ name: 'Ada' }, { name: 'Grace' }] });
    const [latest] = (await server().client.listPrompts({ limit: 1 })).data;
    expect(latest?.schema_id).toBe(schemaIdOf(multiSchema(parseConciseSchema('name'))));
    const logs = await llmq(['logs', '--schema', 'name', '--schema-multi', '--data']);
    expect(jsonLines(logs.stdout)).toEqual([{ name: 'Ada' }, { name: 'Grace' }]);
  });

  it('lists and shows the stored schemas', async () => {
    const listed = await llmq(['schemas']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`- id: ${personId}\n  summary: |\n    {name, age}\n`);
    const asJson = await llmq(['schemas', 'list', '--json']);
    expect(JSON.parse(asJson.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: personId })]),
    );
    const shown = await llmq(['schemas', 'show', personId]);
    expect(JSON.parse(shown.stdout)).toEqual(parseConciseSchema(person));
    const bad = await llmq(['schemas', 'show', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'Error: nope is not a schema id: ids are 64 hex digits (llmq schemas lists them)\n',
    );
  });

  it('runs a batch with a schema, and batch results --data gives each item’s data', async () => {
    const folder = join(server().folder, 'invoices');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder, { recursive: true });
    for (let index = 0; index < 3; index++) {
      await writeFile(join(folder, `invoice-${index}.png`), makePng(index, 10, 10));
    }
    const out = join(server().folder, 'invoices.jsonl');
    const run = await llmq([
      'batch',
      folder,
      '-p',
      '{"vendor": "ACME", "total": 12.5}',
      '--schema',
      'vendor, total float',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const results = jsonLines(await readFile(out, 'utf8')) as Array<{ data: unknown }>;
    expect(results.map((result) => result.data)).toEqual(
      Array(3).fill({ vendor: 'ACME', total: 12.5 }),
    );
    const batchId = /batch (\S+):/.exec(run.stderr)?.[1] as string;
    const data = await llmq(['batch', 'results', batchId, '--data']);
    expect(jsonLines(data.stdout)).toEqual(Array(3).fill({ vendor: 'ACME', total: 12.5 }));
  });

  it('prints one line per match in batch results --data for a batch with a multi schema', async () => {
    const folder = join(server().folder, 'team-photos');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder, { recursive: true });
    for (let index = 0; index < 2; index++) {
      await writeFile(join(folder, `team-${index}.png`), makePng(index, 20, 10));
    }
    const run = await llmq([
      'batch',
      folder,
      '-p',
      '{"items": [{"name": "Ada"}, {"name": "Grace"}]}',
      '--schema',
      'name',
      '--schema-multi',
      '--out',
      join(server().folder, 'team.jsonl'),
    ]);
    expect(run.code).toBe(0);
    const batchId = /batch (\S+):/.exec(run.stderr)?.[1] as string;
    const data = await llmq(['batch', 'results', batchId, '--data']);
    expect(data.code).toBe(0);
    expect(jsonLines(data.stdout)).toEqual([
      { name: 'Ada' },
      { name: 'Grace' },
      { name: 'Ada' },
      { name: 'Grace' },
    ]);
  });

  it('refuses a bad schema with a clear message and exit code 1, before anything is queued', async () => {
    const before = (await server().client.listPrompts({ limit: 500 })).data.length;
    const cases: Array<[string[], string | RegExp]> = [
      [['--schema', '{"type": ', 'x'], /^Error: --schema: The schema is not valid JSON: /],
      [['--schema', ': no name', 'x'], /^Error: --schema: The concise schema field ": no name"/],
      [['--schema', 'missing.json', 'x'], 'Error: --schema: there is no file missing.json\n'],
      [['--schema-multi', 'x'], 'Error: --schema-multi needs a --schema to make a list of\n'],
      [['--schema', 'f'.repeat(64), 'x'], /^Error: .*schema/i],
      [['logs', '--schema-multi', '--data'], /^Error: --schema-multi says how --schema was given/],
    ];
    for (const [args, message] of cases) {
      const run = await llmq(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stdout).toBe('');
      if (typeof message === 'string') expect(run.stderr).toBe(message);
      else expect(run.stderr).toMatch(message);
    }
    expect((await server().client.listPrompts({ limit: 500 })).data.length).toBe(before);
  });

  it('fails an answer that does not match the schema, naming why', async () => {
    const run = await llmq(['--schema', person, '{"name": "Ada"}']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Error: .*age/);
  });
});
