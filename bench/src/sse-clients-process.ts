// The SSE clients of bench:sse, in a process of their own so their work neither slows the api
// nor the worker's clock. Usage: node sse-clients-process.ts <api url> <clients per prompt>
// <prompt id>... Prints `connected` once every client has its first event, `ended` once every
// stream has ended, then one JSON line:
// [prompt id, entry id, receipt time (ms since the epoch, sub-millisecond)] per chunk delivered
// (entry ids are unique within one prompt's log only).
// node:http rather than fetch: 2,000 fetch bodies (web streams) cost this process about as much
// CPU as the api spends serving them, and on a 2-core machine that CPU is taken from the api.
import { Agent, get } from 'node:http';
import { createParser } from 'eventsource-parser';

const [url = '', perPrompt = '1', ...ids] = process.argv.slice(2);
const clients = Number(perPrompt);
const now = () => performance.timeOrigin + performance.now();
const receipts: Array<[string, string, number]> = [];
// Keep-alive, as Node's and browsers' clients do: a stream's end closes no connection.
const agent = new Agent({
  keepAlive: true,
  maxSockets: Number.POSITIVE_INFINITY,
  // Its default (256) would close every connection past the 256th as its stream ends.
  maxFreeSockets: Number.POSITIVE_INFINITY,
});
let connected = 0;
let announced = false;

function follow(id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let first = true;
    const request = get(`${url}/v1/prompts/${id}/stream`, { agent }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`stream of ${id} answered ${response.statusCode}`));
        response.resume();
        return;
      }
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
          if (message.event === 'chunk' && message.id) receipts.push([id, message.id, received]);
          if (message.event === 'done' || message.event === 'error') resolve();
        },
      });
      response.setEncoding('utf8');
      response.on('data', (text: string) => parser.feed(text));
      response.on('end', resolve);
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

await Promise.all(ids.flatMap((id) => Array.from({ length: clients }, () => follow(id))));
// Every stream has ended (its keep-alive connection stays open until this process exits).
process.stdout.write('ended\n');
process.stdout.write(`${JSON.stringify(receipts)}\n`);
// The bench samples the api's CPU when it reads `ended`: the connections close a second later,
// so that closing 2,000 of them is not counted as the streams' ends.
await new Promise((resolve) => setTimeout(resolve, 1_000));
agent.destroy();
