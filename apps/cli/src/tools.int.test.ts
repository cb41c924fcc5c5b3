import type { PromptBody } from '@llmq/contracts';
import { toolsPluginPath } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './cli-server.fixture.ts';

const server = useCliServer({ plugins: ['@llmq/plugin-echo', toolsPluginPath] });
const llmq = (args: readonly string[]) => server().llmq(args);

/** A prompt that makes echo call these tools; its next step describes their results. */
const callTools = (...calls: Array<{ name: string; arguments: Record<string, unknown> }>) =>
  JSON.stringify({ tool_calls: calls });
const addOneAndTwo = callTools({ name: 'add', arguments: { a: 1, b: 2 } });

async function latestPrompt(): Promise<PromptBody> {
  const [latest] = (await server().client.listPrompts({ limit: 1 })).data;
  if (!latest) throw new Error('no prompt was stored');
  return server().client.getPrompt(latest.chain?.id ?? latest.id);
}

describe('llmq with tools', () => {
  it('runs a chain with -T: stdout is every step’s text, stderr is empty without --td', async () => {
    const run = await llmq(['-m', 'echo', '-T', 'add', addOneAndTwo]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const first = await latestPrompt();
    expect(first.tools?.map((tool) => tool.name)).toEqual(['add']);
    expect(first.chain?.steps).toHaveLength(2);
    expect(run.stdout).toBe(`${first.chain?.text}\n`);
    // Echo's second step describes the result the tool gave it.
    expect(JSON.parse(run.stdout).tool_results).toEqual([
      { name: 'add', output: '3', tool_call_id: first.tool_calls?.[0]?.id },
    ]);
    // The logs show each model call with the calls it made and the results it carried.
    const callId = first.tool_calls?.[0]?.id;
    const shownFirst = await llmq(['logs', 'show', first.id]);
    expect(shownFirst.stdout).toContain(
      `### Tool calls\n\n- **add**: \`${callId}\`\n\n    Arguments: {"a":1,"b":2}\n`,
    );
    const shownSecond = await llmq(['logs', 'show', first.chain?.steps?.[1] ?? '']);
    expect(shownSecond.stdout).toContain(`### Tool results\n\n- **add**: \`${callId}\`\n\n    3\n`);
  });

  it('prints each call and its result on stderr with --td, as llm does, stdout unchanged', async () => {
    const run = await llmq([
      '-m',
      'echo',
      '-T',
      'add',
      '--tool',
      'fail',
      '--td',
      callTools({ name: 'add', arguments: { a: 20, b: 22 } }, { name: 'fail', arguments: {} }),
    ]);
    expect(run.code).toBe(0);
    const first = await latestPrompt();
    expect(run.stdout).toBe(`${first.chain?.text}\n`);
    const [, second] = first.chain?.steps ?? [];
    const results = (await server().client.getPrompt(second ?? '')).tool_results;
    const failed = results.find((result) => result.name === 'fail');
    expect(failed?.exception).toEqual(expect.any(String));
    expect(run.stderr).toBe(
      `\nTool call: add({"a":20,"b":22})\n  42\n\n` +
        `\nTool call: fail({})\n${failed?.output ? `  ${failed.output}\n` : '\n'}  Exception: ${failed?.exception}\n`,
    );
  });

  it('prints the chain’s whole text at the end with --no-stream, and the calls with --td', async () => {
    const run = await llmq(['-m', 'echo', '-T', 'add', '--no-stream', '--td', addOneAndTwo]);
    expect(run.code).toBe(0);
    const first = await latestPrompt();
    expect(first.text ?? '').toBe('');
    expect(run.stdout).toBe(`${first.chain?.text}\n`);
    expect(run.stderr).toBe('\nTool call: add({"a":1,"b":2})\n  3\n\n');
  });

  it('stops at --chain-limit with the chain limit error and exit code 1', async () => {
    const run = await llmq(['-m', 'echo', '-T', 'add', '--chain-limit', '1', '--td', addOneAndTwo]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      '\nTool call: add({"a":1,"b":2})\nError: ChainLimitError: Chain limit of 1 exceeded.\n',
    );
    expect((await latestPrompt()).chain?.limit).toBe(1);
  });

  it('refuses an unknown tool before anything runs, and a bad name or limit before sending', async () => {
    const unknown = await llmq(['-m', 'echo', '-T', 'no_such_tool', 'hello']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Error: .*no_such_tool/);
    const badName = await llmq(['-m', 'echo', '-T', 'two words', 'hello']);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/"two words" is not a tool name/);
    const badLimit = await llmq(['-m', 'echo', '-T', 'add', '--chain-limit', '0', 'hello']);
    expect(badLimit.code).toBe(1);
    expect(badLimit.stderr).toMatch(/the chain limit is a whole number from 1 to 100/);
  });

  it('lists the server’s tools with llmq tools, and as JSON with --json', async () => {
    const run = await llmq(['tools']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('add(a: integer, b: integer) (plugin:');
    expect(run.stdout).toContain('\n  Add two integers.\n');
    const json = await llmq(['tools', 'list', '--json']);
    const listed = JSON.parse(json.stdout) as Array<{ name: string; source: string }>;
    expect(listed.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['add', 'count_calls', 'fail']),
    );
    expect(listed.every((tool) => tool.source.startsWith('plugin:'))).toBe(true);
  });

  it('offers the tools to every turn of llmq chat, with --td', async () => {
    const chat = await server().llmq(
      ['chat', '-m', 'echo', '-T', 'add', '--td'],
      `${addOneAndTwo}\n`,
    );
    expect(chat.code).toBe(0);
    const first = await latestPrompt();
    expect(chat.stdout).toBe(`${first.chain?.text}\n`);
    expect(chat.stderr).toBe('\nTool call: add({"a":1,"b":2})\n  3\n\n');
  });
});
