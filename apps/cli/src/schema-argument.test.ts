import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchemaArgument, schemaRequestFields } from './schema-argument.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llmq-schema-argument-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const schema = { type: 'object', properties: { name: { type: 'string' } } };
const id = 'a'.repeat(64);

describe('readSchemaArgument decides as llm does', () => {
  it('reads an existing file as JSON', async () => {
    const path = join(folder, 'person.json');
    await writeFile(path, JSON.stringify(schema));
    expect(await readSchemaArgument(path)).toEqual({ kind: 'json', schema });
  });

  it('parses text starting with { as JSON', async () => {
    expect(await readSchemaArgument(` ${JSON.stringify(schema)}`)).toEqual({
      kind: 'json',
      schema,
    });
  });

  it('takes 64 hex digits as a stored schema id, in lowercase', async () => {
    expect(await readSchemaArgument(id.toUpperCase())).toEqual({ kind: 'id', id });
  });

  it('takes anything else as concise syntax, sent as it is', async () => {
    expect(await readSchemaArgument('name, age int: in years')).toEqual({
      kind: 'concise',
      text: 'name, age int: in years',
    });
  });

  it('names what is wrong with a bad schema', async () => {
    await expect(readSchemaArgument('{"type": ')).rejects.toThrow(
      /^--schema: The schema is not valid JSON: /,
    );
    await expect(readSchemaArgument('{}')).rejects.toThrow(
      '--schema: The JSON schema is empty: give at least {"type": "object", …}.',
    );
    await expect(readSchemaArgument('   ')).rejects.toThrow(/^--schema is empty/);
    await expect(readSchemaArgument(': no name')).rejects.toThrow(
      /^--schema: The concise schema field ": no name" is missing a name/,
    );
    await expect(readSchemaArgument(join(folder, 'missing.json'))).rejects.toThrow(
      /^--schema: there is no file .*missing\.json$/,
    );
    const list = join(folder, 'list.json');
    await writeFile(list, '[1, 2]');
    await expect(readSchemaArgument(list)).rejects.toThrow(
      `--schema file ${list} is not a JSON Schema object`,
    );
  });
});

describe('schemaRequestFields', () => {
  it('sends the schema as read, with schema_multi only when asked', () => {
    expect(schemaRequestFields({ kind: 'json', schema }, false)).toEqual({ schema });
    expect(schemaRequestFields({ kind: 'id', id }, true)).toEqual({
      schema: id,
      schema_multi: true,
    });
    expect(schemaRequestFields({ kind: 'concise', text: 'name' }, undefined)).toEqual({
      schema: 'name',
    });
  });
});
