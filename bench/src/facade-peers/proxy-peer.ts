import { type ServiceProcess, startServiceProcess } from '@llmq/testing';

/**
 * A peer in front of the upstream server (a reverse proxy, or the SDK relay that reads the
 * stream), in a child process of its own.
 */
export interface ProxyPeer {
  readonly name: string;
  /** Its own process: the CPU counted for it is this process's alone. */
  readonly process: ServiceProcess;
  /** Where it listens (no path: it forwards every path as it is). */
  readonly origin: string;
}

/** The peers bench:facade sets beside the llmq facade, one file each in this folder. */
export const proxyPeerEntries = {
  'bare node:http proxy': new URL('./bare-node-proxy.ts', import.meta.url).pathname,
  'http-proxy 1.18.1': new URL('./http-proxy-peer.ts', import.meta.url).pathname,
  'openai SDK relay': new URL('./sdk-relay-peer.ts', import.meta.url).pathname,
} as const;

/**
 * Start one peer in front of `upstreamOrigin`, with Node's defaults (no flags): the proxy as
 * its author would run it. Resolves once it says it listens.
 */
export async function startProxyPeer(
  name: keyof typeof proxyPeerEntries,
  upstreamOrigin: string,
): Promise<ProxyPeer> {
  const child = startServiceProcess(proxyPeerEntries[name], {}, [upstreamOrigin], []);
  try {
    const line = await child.waitForLine(/listening on http/, 30_000);
    return { name, process: child, origin: line.slice(line.indexOf('http')) };
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
}
