import { type ServiceProcess, startServiceProcess } from '@llmq/testing';

const clientsEntry = new URL('./sse-clients-process.ts', import.meta.url).pathname;

/**
 * The SSE clients of a benchmark, in a process of their own (`sse-clients-process.ts`):
 * `clientsPerPrompt` streams on each prompt. It prints `connected`, then `ended`, then its
 * receipts as one JSON line.
 */
export function startSseClients(
  url: string,
  clientsPerPrompt: number,
  promptIds: readonly string[],
): ServiceProcess {
  return startServiceProcess(clientsEntry, {}, [url, String(clientsPerPrompt), ...promptIds], []);
}

/** Wait for the clients process to exit, and fail unless it exited cleanly. */
export async function clientsExited(clients: ServiceProcess): Promise<void> {
  const code = await clients.exited;
  if (code !== 0) throw new Error(`the SSE client process exited with ${code}`);
}
