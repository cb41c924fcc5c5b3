import type { LlmqClient } from '@llmq/client';
import type { StoredSchemaBody } from '@llmq/contracts';
import { parseConciseSchema, schemaIdSchema } from '@llmq/contracts';
import { Command } from 'commander';
import { action } from '../output.ts';
import { schemaSummary } from '../schema-summary.ts';

async function allSchemas(client: LlmqClient): Promise<StoredSchemaBody[]> {
  const schemas: StoredSchemaBody[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listSchemas({ limit: 500, ...(cursor ? { cursor } : {}) });
    schemas.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return schemas;
}

/** One schema as `llm schemas list` shows it (YAML-like, one summary line). */
function render(schema: StoredSchemaBody): string {
  return `- id: ${schema.id}\n  summary: |\n    ${schemaSummary(schema.schema)}\n  created: ${schema.created_at}\n`;
}

async function listSchemas(client: LlmqClient, options: { json?: boolean }): Promise<void> {
  const schemas = await allSchemas(client);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(schemas, null, 2)}\n`);
  } else {
    process.stdout.write(schemas.map(render).join(''));
  }
}

/** `llmq schemas`: the schemas prompts have used, as `llm schemas` lists them. */
export function schemasCommand(getClient: () => LlmqClient): Command {
  const schemas = new Command('schemas')
    .description('List the schemas prompts have used (stored by the sha256 of their JSON)')
    .option('--json', 'print them as JSON')
    // `schemas list --json`: the option after the subcommand is the subcommand's own.
    .enablePositionalOptions()
    .action(action(async (options: { json?: boolean }) => listSchemas(getClient(), options)));
  schemas.addCommand(
    new Command('list')
      .description('List the stored schemas')
      .option('--json', 'print them as JSON')
      .action(action(async (options: { json?: boolean }) => listSchemas(getClient(), options))),
  );
  schemas.addCommand(
    new Command('show')
      .description('Print a stored schema as JSON')
      .argument('<id>', 'the schema id (llmq schemas lists them)')
      .action(
        action(async (id: string) => {
          const parsed = schemaIdSchema.safeParse(id.toLowerCase());
          if (!parsed.success) {
            throw new Error(
              `${id} is not a schema id: ids are 64 hex digits (llmq schemas lists them)`,
            );
          }
          const stored = await getClient().getSchema(parsed.data);
          process.stdout.write(`${JSON.stringify(stored.schema, null, 2)}\n`);
        }),
      ),
  );
  schemas.addCommand(
    new Command('dsl')
      .description('Print the JSON Schema that concise syntax such as "name, age int" stands for')
      .argument('<text>', 'the concise schema')
      .option('--multi', 'wrapped as a list of matches, like --schema-multi')
      .action(
        action(async (text: string, options: { multi?: boolean }) => {
          const schema = parseConciseSchema(text, { multi: options.multi ?? false });
          process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
        }),
      ),
  );
  return schemas;
}
