import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import {
  clearDefaultModel,
  defaultModelPath,
  findModel,
  readDefaultModel,
  serverDefaultModel,
  writeDefaultModel,
} from '../default-model.ts';
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

export function modelsCommand(getClient: () => LlmqClient, configDirectory: string): Command {
  const models = new Command('models')
    .description('List the models the server has; the default is marked (yours, else the server’s)')
    .option('--options', 'show each model’s options and attachment types')
    .option('--schemas', 'only the models that can answer with a schema (--schema)')
    .option('--json', 'print the list as JSON')
    .action(
      action(async (options: { options?: boolean; schemas?: boolean; json?: boolean }) => {
        const all = await getClient().models();
        const listed = all.filter((model) => !options.schemas || model.supports_schema);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
          return;
        }
        const userDefault = await readDefaultModel(configDirectory);
        const defaultModel = userDefault ? findModel(all, userDefault) : serverDefaultModel(all);
        for (const model of listed) {
          const aliases = model.aliases.length > 0 ? ` (aliases: ${model.aliases.join(', ')})` : '';
          const marker = model === defaultModel ? ' (default)' : '';
          process.stdout.write(`${model.id}${aliases}${marker}\n`);
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
        // As `llm models` ends: which model a prompt without -m uses, and whose choice it is.
        if (userDefault) {
          process.stdout.write(
            `Default: ${userDefault}${defaultModel ? '' : ' (not on this server)'}, yours (llmq models default)\n`,
          );
        } else if (defaultModel) {
          process.stdout.write(`Default: ${defaultModel.id}, the server’s\n`);
        }
      }),
    );
  models.addCommand(defaultModelCommand(getClient, configDirectory));
  return models;
}

/** `llmq models default [NAME]`: show or set the user's default model, as `llm models default`. */
function defaultModelCommand(getClient: () => LlmqClient, configDirectory: string): Command {
  return new Command('default')
    .description(
      `Show the default model, or set yours (kept in ${defaultModelPath(configDirectory)}; $LLMQ_CONFIG_DIR moves it). Without one, the server's default applies`,
    )
    .argument('[name]', 'a model id or alias the server has')
    .option('--clear', 'forget your default: prompts without -m use the server’s')
    .action(
      action(async (name: string | undefined, options: { clear?: boolean }) => {
        if (options.clear) {
          await clearDefaultModel(configDirectory);
          process.stderr.write('Your default model is cleared: the server’s default applies\n');
          return;
        }
        if (name === undefined) {
          const userDefault = await readDefaultModel(configDirectory);
          if (userDefault) {
            process.stdout.write(`${userDefault}\n`);
            return;
          }
          const serverDefault = serverDefaultModel(await getClient().models());
          if (!serverDefault) throw new Error('the server does not say which model is its default');
          process.stdout.write(`${serverDefault.id}\n`);
          return;
        }
        const model = findModel(await getClient().models(), name);
        if (!model) {
          throw new Error(
            `Unknown model: ${name}. \`llmq models\` lists the models this server has.`,
          );
        }
        await writeDefaultModel(configDirectory, model.id);
        process.stderr.write(`Default model set to ${model.id}\n`);
      }),
    );
}
