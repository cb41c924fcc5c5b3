import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { action, readStdin } from '../output.ts';

/**
 * `llmq provider-keys`: the server's keys for model providers, like `llm keys`, but stored on the
 * server (encrypted) for the api and every worker. The key is read from stdin or typed at a
 * hidden prompt, never taken from the command line, so it stays out of shell history and `ps`.
 */
export function providerKeysCommand(getClient: () => LlmqClient): Command {
  const keys = new Command('provider-keys').description(
    'Manage the server’s model provider keys, e.g. openai (needs an admin key once keys exist)',
  );
  keys.addCommand(
    new Command('set')
      .description('Store a provider key on the server: typed at a hidden prompt, or piped in')
      .argument('<name>', 'the key’s name, as `llmq models` shows it (e.g. openai)')
      .action(
        action(async (name: string) => {
          const key = process.stdin.isTTY
            ? await readHidden(`Enter the ${name} key: `)
            : (await readStdin()).toString('utf8').trim();
          if (!key) throw new Error(`No key given: type it at the prompt, or pipe it in`);
          const stored = await getClient().setProviderKey(name, key);
          process.stderr.write(
            `${stored.name} key stored${stored.last_four ? ` (…${stored.last_four})` : ''}${stored.models.length > 0 ? ` for ${stored.models.join(', ')}` : ''}\n`,
          );
        }),
      ),
  );
  keys.addCommand(
    new Command('list')
      .description('List the stored provider keys (never the keys themselves)')
      .option('--json', 'print them as JSON')
      .action(
        action(async (options: { json?: boolean }) => {
          const list = await getClient().listProviderKeys();
          if (options.json) {
            process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
            return;
          }
          if (list.length === 0) process.stderr.write('no provider keys are stored\n');
          for (const key of list) {
            process.stdout.write(
              `${key.name}  ${key.last_four ? `…${key.last_four}` : '(short key)'}  set ${key.set_at}${key.set_by ? ` by ${key.set_by}` : ''}\n`,
            );
          }
        }),
      ),
  );
  keys.addCommand(
    new Command('delete')
      .description('Remove a stored provider key: its models are unavailable again')
      .argument('<name>', 'the key’s name (from llmq provider-keys list)')
      .action(
        action(async (name: string) => {
          await getClient().deleteProviderKey(name);
          process.stderr.write(`${name} key deleted\n`);
        }),
      ),
  );
  return keys;
}

/** A line typed at the terminal without echoing it; Ctrl-C ends the command. */
function readHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  let typed = '';
  return new Promise((resolve) => {
    const finish = () => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (text: string) => {
      for (const character of text) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          finish();
          resolve(typed);
          return;
        }
        if (character === '\u0003') {
          finish();
          process.exit(130);
        }
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else typed += character;
      }
    };
    input.on('data', onData);
  });
}
