import { describe, expect, it } from 'vitest';
import { type Bindings, checkRun, substitutePlaceholders } from './expected-output.fixture.ts';
import { fencedBlocks, shellSteps } from './readme-blocks.fixture.ts';

const ok = (stdout: string, stderr = '') => ({ code: 0, stdout, stderr });

describe('checking a README example’s output', () => {
  it('binds a placeholder where it first shows, and puts its value in later commands', () => {
    const bindings: Bindings = new Map();
    const printed = '{"id":"01kabc","status":"queued","links":{"self":"/v1/prompts/01kabc"}}\n';
    expect(
      checkRun(
        ['{"id":"01jc…","status":"queued","links":{"self":"/v1/prompts/01jc…"}}'],
        ok(printed),
        bindings,
      ),
    ).toEqual([]);
    expect(bindings.get('01jc…')).toBe('01kabc');
    expect(substitutePlaceholders('curl /v1/prompts/01jc…/stream', bindings)).toBe(
      'curl /v1/prompts/01kabc/stream',
    );
    expect(() => substitutePlaceholders('curl /v1/batches/01jd…', bindings)).toThrow(/01jd…/);
  });

  it('says which value differs, and that a bound placeholder must keep its value', () => {
    const bindings: Bindings = new Map([['01jc…', '01kabc']]);
    expect(
      checkRun(
        ['{"id":"01jc…","status":"queued"}'],
        ok('{"id":"01kxyz","status":"running"}'),
        bindings,
      ),
    ).toEqual([
      '"id":"01jc…" expected, the output has "01kxyz"',
      '"status":"queued" expected, the output has "running"',
    ]);
  });

  it('wants a stream’s events in order, and ignores its random ids', () => {
    const stream =
      'id: 17-0\nevent: status\ndata: {"type":"status"}\n\nid: 18-0\nevent: done\ndata: {"type":"done","status":"succeeded"}\n';
    expect(
      checkRun(
        ['id: 1-0', 'event: status', '…', 'event: done', 'data: {"type":"done",…}'],
        ok(stream),
        new Map(),
      ),
    ).toEqual([]);
    expect(checkRun(['event: chunk', 'event: done'], ok(stream), new Map())).toEqual([
      'events chunk, done not in this order in: status, done',
    ]);
  });

  it('matches plain lines with … for what is left out, and checks the exit status', () => {
    const bindings: Bindings = new Map();
    const run = { code: 0, stdout: '', stderr: '2 files: 2 uploaded\nbatch 01kq: 2 items\n' };
    expect(checkRun(['2 files: …', 'batch 01jd…: 2 items'], run, bindings)).toEqual([]);
    expect(bindings.get('01jd…')).toBe('01kq');
    expect(checkRun(['exit status 1'], run, bindings)).toEqual(['exit status 0, expected 1']);
    expect(checkRun([], { ...run, code: 2 }, bindings)).toEqual(['exit status 2, expected 0']);
  });
});

describe('reading the README', () => {
  it('finds fenced blocks, their not-run marks, commands and expected lines', () => {
    const markdown = [
      '<!-- readme-examples: not run (starts the service) -->',
      '```sh',
      'npm start',
      '```',
      '```sh',
      '# a comment before a command is not output',
      'curl -s -X POST x \\',
      "  -d '{}'",
      '# {"id":"01jc…"}',
      '',
      'llmq models   # an inline remark',
      '```',
    ].join('\n');
    const [skipped, run] = fencedBlocks(markdown);
    expect(skipped).toMatchObject({ language: 'sh', line: 2, notRunBecause: 'starts the service' });
    expect(run?.notRunBecause).toBeUndefined();
    expect(shellSteps(run?.lines ?? [])).toEqual([
      { command: "curl -s -X POST x \\\n  -d '{}'", expected: ['{"id":"01jc…"}'] },
      { command: 'llmq models   # an inline remark', expected: [] },
    ]);
  });
});
