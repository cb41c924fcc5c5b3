import { EchoModel } from '@llmq/plugin-echo';

const echo = new EchoModel();

/** The text of the bench's i-th prompt, the same for every peer. */
export function promptText(index: number): string {
  return `job ${index}`;
}

/** Echo's answer to a prompt with no options: exactly the text llmq stores for it. */
export function echoAnswer(prompt: string): Promise<string> {
  return echo.prompt(prompt).text();
}
