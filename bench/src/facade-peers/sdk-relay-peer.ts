// bench:facade's floor for a facade that reads the model's stream (as llmq's worker must, to
// store the answer and to speak another API than the one it calls): a node:http server that
// takes a chat completion request, makes it upstream with the official openai SDK (streaming),
// and writes each chunk it parses back as an SSE frame. It stores nothing and queues nothing:
// what it costs per call is what parsing and re-encoding the stream cost, with no guarantee.
// Usage: node sdk-relay-peer.ts <upstream origin>. Prints `listening on <url>` when ready.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';

const upstream = process.argv[2] ?? '';
const completionsPath = '/chat/completions';
const clients = new Map<string, OpenAI>();
// The SDK's base URL is the request's path without `/chat/completions` (`/v1`, …).
const clientFor = (path: string) => {
  const prefix = path.slice(0, path.length - completionsPath.length);
  let client = clients.get(prefix);
  if (!client) {
    client = new OpenAI({ apiKey: 'sk-relay', baseURL: `${upstream}${prefix}`, maxRetries: 0 });
    clients.set(prefix, client);
  }
  return client;
};

const server = createServer(async (incoming, outgoing) => {
  try {
    const path = incoming.url ?? '';
    if (incoming.method !== 'POST' || !path.endsWith(completionsPath)) {
      outgoing.writeHead(404).end();
      return;
    }
    let body = '';
    for await (const part of incoming) body += part;
    const request = JSON.parse(body) as OpenAI.ChatCompletionCreateParamsStreaming;
    const stream = await clientFor(path).chat.completions.create({ ...request, stream: true });
    outgoing.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for await (const chunk of stream) outgoing.write(`data: ${JSON.stringify(chunk)}\n\n`);
    outgoing.end('data: [DONE]\n\n');
  } catch {
    if (!outgoing.headersSent) outgoing.writeHead(502);
    outgoing.end();
  }
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
