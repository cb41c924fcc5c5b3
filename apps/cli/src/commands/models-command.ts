import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { action } from '../output.ts';

interface JsonSchemaProperty {
  type?: string | string[];
  description?: string;
  anyOf?: JsonSchemaProperty[];
}

function typeName(property: JsonSchemaProperty): string {
  if (property.type)
    return Array.isArray(property.type) ? property.type.join(' | ') : property.type;
  if (property.anyOf) return property.anyOf.map(typeName).join(' | ');
  return 'any';
}

export function modelsCommand(getClient: () => LlmqClient): Command {
  return new Command('models')
    .description('List the models the server has')
    .option('--options', 'show each model’s options and attachment types')
    .option('--schemas', 'only the models that can answer with a schema (--schema)')
    .option('--json', 'print the list as JSON')
    .action(
      action(async (options: { options?: boolean; schemas?: boolean; json?: boolean }) => {
        const models = (await getClient().models()).filter(
          (model) => !options.schemas || model.supports_schema,
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
          return;
        }
        for (const model of models) {
          const aliases = model.aliases.length > 0 ? ` (aliases: ${model.aliases.join(', ')})` : '';
          process.stdout.write(`${model.id}${aliases}\n`);
          if (!options.options) continue;
          const properties =
            (model.options as { properties?: Record<string, JsonSchemaProperty> }).properties ?? {};
          const names = Object.keys(properties);
          if (names.length > 0) {
            process.stdout.write('  Options:\n');
            for (const name of names) {
              const property = properties[name] as JsonSchemaProperty;
              process.stdout.write(
                `    ${name}: ${typeName(property)}${property.description ? `\n      ${property.description}` : ''}\n`,
              );
            }
          }
          if (model.attachment_types.length > 0) {
            process.stdout.write(`  Attachment types:\n    ${model.attachment_types.join(', ')}\n`);
          }
          process.stdout.write(
            `  Features:\n${model.can_stream ? '  - streaming\n' : ''}${model.supports_schema ? '  - schemas\n' : ''}`,
          );
          if (model.key_env_var) process.stdout.write(`  Keys:\n    ${model.key_env_var}\n`);
        }
      }),
    );
}
