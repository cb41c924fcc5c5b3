import type { LlmqClient } from '@llmq/client';
import { multiSchema, parseConciseSchema } from '@llmq/contracts';
import { schemaIdOf } from '@llmq/contracts/schema-id';
import type { SchemaArgument } from './schema-argument.ts';

/**
 * The stored id of the schema a prompt got from `--schema X [--schema-multi]`: the server
 * stores the schema it sent the model (concise text converted, multi wrapped), so the same is
 * hashed here. Only an id with `--schema-multi` needs the server, for the schema to wrap.
 */
export async function storedSchemaId(
  client: LlmqClient,
  argument: SchemaArgument,
  multi: boolean | undefined,
): Promise<string> {
  switch (argument.kind) {
    case 'id':
      return multi
        ? schemaIdOf(multiSchema((await client.getSchema(argument.id)).schema))
        : argument.id;
    case 'json':
      return schemaIdOf(multi ? multiSchema(argument.schema) : argument.schema);
    case 'concise':
      return schemaIdOf(parseConciseSchema(argument.text, { multi: multi ?? false }));
  }
}
