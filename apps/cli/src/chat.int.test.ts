import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './cli-server.fixture.ts';

const server = useCliServer();
/** The `llmq` a global install links, on the machine's own Node as a user's shell runs it. */
const llmqWrapper = new URL('../../../scripts/llmq.mjs', import.meta.url).pathname;
const machineNode = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
/** The end of an echo answer: its outermost closing brace (inner ones are indented). */
const answerEnd = /\n}\n$/;

/** The prompts of the newest conversation, oldest first. */
async function latestConversationPrompts() {
  const { client } = server();
  const [latest] = (await client.listPrompts({ limit: 1 })).data;
  const conversationId = latest?.conversation_id ?? '';
  const page = await client.listPrompts({ conversation_id: conversationId });
  return page.data.toReversed();
}

describe('llmq chat', () => {
  it('answers piped lines as turns of one conversation, the second replaying the first', async () => {
    const run = await server().llmq(['chat'], 'the first turn\nthe second turn\n');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [first, second, ...more] = await latestConversationPrompts();
    expect(more).toEqual([]);
    expect(first?.prompt).toBe('the first turn');
    expect(second?.prompt).toBe('the second turn');
    expect(JSON.parse(second?.text ?? '').previous).toEqual([
      { prompt: 'the first turn', attachments: [], response: first?.text },
    ]);
    // No prompt decoration from a pipe: stdout is the two answers, each on its own lines.
    expect(run.stdout).toBe(`${first?.text}\n${second?.text}\n`);
  });

  it('sends the lines between !multi and !end as one prompt, and stops at exit with code 0', async () => {
    const run = await server().llmq(
      ['chat', '-s', 'be brief'],
      '!multi\nline one\n\nline three\n!end\nexit\nnever sent\n',
    );
    expect(run.code).toBe(0);
    const prompts = await latestConversationPrompts();
    expect(prompts.map((prompt) => prompt.prompt)).toEqual(['line one\n\nline three']);
  });

  it('sends what the editor saved on !edit', async () => {
    const run = await server().llmq(['chat'], '!edit\n', {
      EDITOR: `sh -c 'printf "written in the editor" > "$0"'`,
      VISUAL: '',
    });
    expect(run.code).toBe(0);
    const prompts = await latestConversationPrompts();
    expect(prompts.map((prompt) => prompt.prompt)).toEqual(['written in the editor']);
  });

  it('cancels a streaming answer on Ctrl-C and answers the next line; Ctrl-C at the prompt ends', async () => {
    const { client } = server();
    // Four characters every 50 ms: the answer streams for seconds, time enough to interrupt it.
    const chat = server().spawnLlmq(['chat', '-o', 'delay_ms', '50', '-o', 'chunk_size', '4']);
    chat.child.stdin.write('a slow answer\n');
    await chat.waitFor('stdout', /\S/);
    chat.child.kill('SIGINT');
    await chat.waitFor('stderr', /\[answer cancelled\]\n/);
    const [slow] = (await client.listPrompts({ limit: 1 })).data;
    expect(slow?.prompt).toBe('a slow answer');
    expect((await client.getPrompt(slow?.id ?? '')).status).toBe('cancelled');

    chat.child.stdin.write('the next line\n');
    await chat.waitFor('stdout', /"prompt": "the next line"/);
    const [next] = (await client.listPrompts({ limit: 1 })).data;
    expect(next?.prompt).toBe('the next line');
    expect(next?.conversation_id).toBe(slow?.conversation_id);
    const { text } = await client.streamText(next?.id ?? '');
    await chat.waitFor('stdout', /\n}\n$/);
    expect(chat.output.stdout.endsWith(`${text}\n`)).toBe(true);
    expect((await client.getPrompt(next?.id ?? '')).status).toBe('succeeded');

    chat.child.kill('SIGINT');
    const run = await chat.exited;
    expect(run.code).toBe(130);
    expect(run.stderr).toBe('[answer cancelled]\n');
  });

  it('says why the server refused a turn and answers the next line', async () => {
    // The api refuses text with a NUL character (422): a turn fails, not the session.
    const run = await server().llmq(['chat'], 'a NUL \u0000 here\nthe next line\n');
    expect(run.stderr).toMatch(/^Error: .*NUL character.*\n$/);
    expect(run.code).toBe(0);
    const prompts = await latestConversationPrompts();
    expect(prompts.map((prompt) => prompt.prompt)).toEqual(['the next line']);
    expect(run.stdout).toBe(`${prompts[0]?.text}\n`);
  });

  it('through the llmq wrapper: a SIGINT to the wrapper alone does not reach the chat, which the terminal signals itself', async () => {
    const chat = server().spawnCommand(machineNode, [llmqWrapper, 'chat']);
    chat.child.stdin.write('before\n');
    await chat.waitFor('stdout', answerEnd);
    chat.child.kill('SIGINT');
    // Passed on, it would end the chat at its prompt (130) before this line is answered.
    chat.child.stdin.write('after\n');
    await chat.waitFor('stdout', /"prompt": "after"[\s\S]*\n}\n$/);
    chat.child.stdin.end();
    const run = await chat.exited;
    expect(run.code).toBe(0);
    // Nothing cancelled either (the wrapper may have said it installed what a manifest added).
    expect(run.stderr).not.toContain('[answer cancelled]');
  });

  it('through the llmq wrapper: SIGTERM and SIGHUP reach the chat, and the exit code names the signal', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const chat = server().spawnCommand(machineNode, [llmqWrapper, 'chat']);
      chat.child.stdin.write('hello\n');
      await chat.waitFor('stdout', answerEnd);
      chat.child.kill(signal);
      expect((await chat.exited).code, signal).toBe(code);
    }
  });

  it('refuses an unknown model before reading any line', async () => {
    const run = await server().llmq(['chat', '-m', 'gpt-9'], 'hello\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'Error: Unknown model: gpt-9. `llmq models` lists the models this server has.\n',
    );
  });
});
