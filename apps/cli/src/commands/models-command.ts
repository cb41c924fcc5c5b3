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
import { formatModelList } from '../model-list.ts';
import { action } from '../output.ts';

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
        process.stdout.write(
          formatModelList(listed, { defaultModel, userDefault, details: options.options === true }),
        );
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
