import { describe, expect, it } from 'vitest';
import { llmqBin, useCliServer } from './cli-server.fixture.ts';

const server = useCliServer();

/** A word for `sh -c`, whatever it holds. */
const quoted = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

// At a terminal `llmq chat` takes another path than from a pipe: readline in raw mode shows the
// `> ` prompt and reads Ctrl-C as a key (no signal). util-linux `script` runs it on a
// pseudo-terminal, fed by what is written to its stdin, as keys typed.
describe('llmq chat at a terminal (under script)', () => {
  it('streams an answer, cancels a slow one on Ctrl-C and answers the next line, and ends on exit with code 0', async () => {
    const { client } = server();
    // Sixteen characters every 200 ms: the answer streams for seconds, time to interrupt it.
    const command = [process.execPath, llmqBin, 'chat', '-o', 'delay_ms', '200']
      .map(quoted)
      .join(' ');
    const terminal = server().spawnCommand('script', ['-qec', command, '/dev/null']);
    await terminal.waitFor('stdout', /> /);

    terminal.child.stdin.write('a slow answer\r');
    await terminal.waitFor('stdout', /\{/);
    terminal.child.stdin.write('\x03');
    await terminal.waitFor('stdout', /\[answer cancelled\]/);
    const [slow] = (await client.listPrompts({ limit: 1 })).data;
    expect(slow?.prompt).toBe('a slow answer');
    expect((await client.getPrompt(slow?.id ?? '')).status).toBe('cancelled');

    terminal.child.stdin.write('the next line\r');
    // The terminal ends its lines with \r\n; the outermost brace closes the answer.
    await terminal.waitFor('stdout', /"prompt": "the next line"[\s\S]*\r\n}\r\n/);
    const [next] = (await client.listPrompts({ limit: 1 })).data;
    expect(next?.prompt).toBe('the next line');
    expect(next?.conversation_id).toBe(slow?.conversation_id);
    expect((await client.getPrompt(next?.id ?? '')).status).toBe('succeeded');

    terminal.child.stdin.write('exit\r');
    const run = await terminal.exited;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Chatting with echo');
    expect(run.stdout.match(/\[answer cancelled\]/g)).toHaveLength(1);
  });
});
