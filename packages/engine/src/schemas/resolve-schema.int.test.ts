import { schemaIdOf } from '@llmq/contracts/schema-id';
import { describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import { resolveSchema } from './resolve-schema.ts';

const harness = useEngineHarness();

describe('resolveSchema with a stored schema’s id', () => {
  it('reads the id in either case, as the stored lowercase one', async () => {
    const schema = { type: 'object', properties: { total: { type: 'number' } } };
    await harness().enqueue({ prompt: '{"total": 1}', schema });
    const id = schemaIdOf(schema);
    const resolved = await resolveSchema(harness().database.db, ` ${id.toUpperCase()} `, {
      owner: null,
    });
    expect(resolved).toEqual({ id, content: schema });
  });
});
