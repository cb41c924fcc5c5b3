// The SSE clients of bench:sse, in a process of their own so their work neither slows the api
// nor the worker's clock. Usage: node sse-clients-process.ts <api url> <clients per prompt>
// <prompt id>... Prints `connected` once every client has its first event, then one JSON line:
// [entry id, receipt time (ms since the epoch, sub-millisecond)] per chunk delivered.
import { createParser } from 'eventsource-parser';

const [url = '', perPrompt = '1', ...ids] = process.argv.slice(2);
const clients = Number(perPrompt);
const now = () => performance.timeOrigin + performance.now();
const receipts: Array<[string, number]> = [];
let connected = 0;
let announced = false;

const runs = ids.flatMap((id) =>
  Array.from({ length: clients }, async () => {
    const response = await fetch(`${url}/v1/prompts/${id}/stream`);
    let first = true;
    let finished = false;
    const parser = createParser({
      onEvent: (message) => {
        const received = now();
        if (first) {
          first = false;
          if (++connected === ids.length * clients && !announced) {
            announced = true;
            process.stdout.write('connected\n');
          }
        }
        if (message.event === 'chunk' && message.id) receipts.push([message.id, received]);
        if (message.event === 'done' || message.event === 'error') finished = true;
      },
    });
    const decoder = new TextDecoder();
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      if (finished) break;
    }
  }),
);
await Promise.all(runs);
process.stdout.write(`${JSON.stringify(receipts)}\n`);
