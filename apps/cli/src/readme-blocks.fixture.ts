/** A fenced code block of a Markdown file. */
export interface FencedBlock {
  /** The fence's info string (`sh`, `ts`, or empty). */
  readonly language: string;
  /** The line number (from 1) of the opening fence, to name the block in messages. */
  readonly line: number;
  readonly lines: readonly string[];
  /** Why the block is not run, from a `<!-- readme-examples: not run (why) -->` line just before it. */
  readonly notRunBecause?: string;
}

/** One command of a shell block and the `# …` lines right after it: its expected output. */
export interface ShellStep {
  readonly command: string;
  readonly expected: readonly string[];
}

const notRunMarker = /^<!--\s*readme-examples:\s*not run \((.+)\)\s*-->$/;

/** Every fenced block of a Markdown text, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = /^```(\S*)\s*$/.exec(lines[index] ?? '');
    if (!opening) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !/^```\s*$/.test(lines[index] ?? ''); index++) {
      body.push(lines[index] ?? '');
    }
    const marker = notRunMarker.exec((lines[start - 1] ?? '').trim());
    blocks.push({
      language: opening[1] ?? '',
      line: start + 1,
      lines: body,
      ...(marker?.[1] ? { notRunBecause: marker[1] } : {}),
    });
  }
  return blocks;
}

/**
 * The commands of a shell block. A command ends at a line without a trailing backslash; the
 * `# …` lines that follow it at once (no blank line between) are its expected output, while a
 * comment after a blank line introduces what comes next and is not checked.
 */
export function shellSteps(lines: readonly string[]): ShellStep[] {
  const steps: { command: string; expected: string[] }[] = [];
  let current: { command: string; expected: string[] } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') {
      current = undefined;
    } else if (line.startsWith('#')) {
      current?.expected.push(line.replace(/^# ?/, ''));
    } else {
      let command = line;
      while (command.endsWith('\\') && index + 1 < lines.length) {
        index++;
        command = `${command}\n${lines[index] ?? ''}`;
      }
      current = { command, expected: [] };
      steps.push(current);
    }
  }
  return steps;
}
