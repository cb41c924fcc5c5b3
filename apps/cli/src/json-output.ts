/**
 * A JSON value as the CLI prints it: indented for a person at a terminal, one compact line for
 * a pipe (ready for jq, one value per line).
 */
export function formatJson(value: unknown, pretty: boolean): string {
  return `${pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`;
}
