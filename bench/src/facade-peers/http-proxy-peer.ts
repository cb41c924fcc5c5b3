// bench:facade's off-the-shelf proxy: the `http-proxy` package (node-http-proxy, what
// express/connect proxies are built on) in front of an OpenAI-compatible server, over a
// keep-alive agent as one would configure it. It pipes the answer through, so a stream's chunks
// pass as they come.
// Usage: node http-proxy-peer.ts <upstream origin>. Prints `listening on <url>` when ready.
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';

const target = process.argv[2] ?? '';
const proxy = httpProxy.createProxyServer({
  target,
  agent: new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY }),
});
proxy.on('error', (_error, _request, response) => {
  if (!('writeHead' in response)) {
    response.destroy();
    return;
  }
  if (!response.headersSent) response.writeHead(502);
  response.end();
});

const server = createServer((request, response) => proxy.web(request, response));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
