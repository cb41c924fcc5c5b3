import type { ToolCallBody, ToolResultBody } from '@llmq/contracts';

/**
 * A logged model call's tool results (the ones it carried) and tool calls (the ones it made),
 * as Markdown lines under its response, in the way `llm logs` lists them.
 */
export function toolLogLines(
  calls: readonly ToolCallBody[] | null,
  results: readonly ToolResultBody[] | undefined,
): string[] {
  const lines: string[] = [];
  if (results && results.length > 0) {
    lines.push('', '### Tool results', '');
    for (const result of results) {
      lines.push(`- **${result.name}**: \`${result.tool_call_id}\``, '');
      lines.push(...result.output.split('\n').map((line) => `    ${line}`));
      if (result.exception !== null) lines.push('', `    Exception: ${result.exception}`);
    }
  }
  if (calls && calls.length > 0) {
    lines.push('', '### Tool calls', '');
    for (const call of calls) {
      lines.push(`- **${call.name}**: \`${call.id}\``, '');
      lines.push(`    Arguments: ${JSON.stringify(call.arguments)}`);
    }
  }
  return lines;
}
