import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface HeldStream {
  /** The text of the chunk events passed on. */
  readonly text: string;
  /** End the connection (FIN, so that every byte passed on arrives). */
  end(): Promise<void>;
}

interface Hold {
  readonly count: number;
  done(held: HeldStream): void;
}

export interface StreamCutter {
  readonly port: number;
  /** The paths (with query) of the prompt streams browsers opened, in order. */
  readonly streamRequests: readonly string[];
  /** For each prompt stream, in order: how many `chunk` events reached the browser. */
  readonly chunkEvents: readonly number[];
  /**
   * Arm a cut of the next prompt stream: its first `count` chunk events are passed on, nothing
   * after them. Resolves once they are, with their text and a way to end the connection as a
   * server closing it would (the test first waits for the page to have shown that text).
   */
  holdAfterChunks(count: number): Promise<HeldStream>;
  close(): Promise<void>;
}

const streamRequestLine = /GET (\/v1\/prompts\/[^/\s]+\/stream\S*) HTTP\/1\.1/;

/**
 * A loopback TCP proxy in front of the api that can drop a prompt's event stream mid-answer,
 * at an exact event: the browser sees the connection end with the answer half sent.
 */
export async function startStreamCutter(targetPort: number): Promise<StreamCutter> {
  const sockets = new Set<Socket>();
  const streamRequests: string[] = [];
  const chunkEvents: number[] = [];
  let armed: Hold | undefined;

  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);

    let stream: { index: number; hold: Hold | undefined; text: string } | undefined;
    let received = '';
    let scanned = 0;
    let cutOff = false;
    client.on('data', (data: Buffer) => {
      const request = streamRequestLine.exec(data.toString('latin1'));
      if (request) {
        streamRequests.push(request[1] as string);
        stream = { index: chunkEvents.push(0) - 1, hold: armed, text: '' };
        armed = undefined;
        received = '';
        scanned = 0;
      }
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (cutOff) return;
      if (!stream) {
        client.write(data);
        return;
      }
      const start = received.length;
      received += data.toString('latin1');
      // SSE events end with a blank line; count the chunk events as they complete.
      for (
        let end = received.indexOf('\n\n', scanned);
        end !== -1;
        end = received.indexOf('\n\n', scanned)
      ) {
        const event = received.slice(scanned, end);
        scanned = end + 2;
        if (!event.includes('event: chunk\n')) continue;
        chunkEvents[stream.index] = (chunkEvents[stream.index] ?? 0) + 1;
        const payload = /^data: (.*)$/m.exec(event)?.[1] ?? '{}';
        // Read as latin1 to keep byte offsets: the JSON is UTF-8.
        const utf8 = Buffer.from(payload, 'latin1').toString('utf8');
        stream.text += (JSON.parse(utf8) as { text: string }).text;
        const hold = stream.hold;
        if (hold && chunkEvents[stream.index] === hold.count) {
          // Nothing after this event reaches the browser, as if the server had stopped here.
          cutOff = true;
          const text = stream.text;
          client.write(data.subarray(0, scanned - start), () =>
            hold.done({
              text,
              end: () =>
                new Promise((ended) => {
                  client.end(() => {
                    drop();
                    ended();
                  });
                }),
            }),
          );
          return;
        }
      }
      client.write(data);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    streamRequests,
    chunkEvents,
    holdAfterChunks: (count) =>
      new Promise((done) => {
        armed = { count, done };
      }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
