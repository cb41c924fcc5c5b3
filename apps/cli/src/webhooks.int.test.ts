import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookDeliveryBody } from '@llmq/contracts';
import { waitFor } from '@llmq/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { useCliServer } from './cli-server.fixture.ts';

// The receiver listens before the server starts, so the server's allowlist can name exactly its
// port (every other private address stays refused), and no other process can take it between.
let answers: number[] = [];
const receiver: Server = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(answers.shift() ?? 200).end());
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const receiverPort = (receiver.address() as AddressInfo).port;
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const server = useCliServer({
  environment: {
    LLMQ_URL_ALLOWLIST: `127.0.0.1:${receiverPort}`,
    LLMQ_WEBHOOK_SECRET: secret,
    LLMQ_WEBHOOK_SCAN_MS: '100',
    LLMQ_WEBHOOK_BACKOFF_MS: '50',
    LLMQ_WEBHOOK_MAX_ATTEMPTS: '2',
  },
});
const llmq = (args: readonly string[]) => server().llmq(args);

describe('llmq webhooks', () => {
  afterAll(() => {
    receiver.closeAllConnections();
    receiver.close();
  });

  it('lists deliveries with their attempts, shows one, retries a failed one and prints the secret', async () => {
    answers = [500, 502];
    const accepted = await server().client.createPrompt({
      model: 'echo',
      prompt: 'tell me when done',
      webhook_url: `http://127.0.0.1:${receiverPort}/hook`,
    });
    const promptId = accepted.id;
    let failed: WebhookDeliveryBody | undefined;
    await waitFor(
      async () => {
        [failed] = (await server().client.webhookDeliveries({ subjectId: promptId })).data;
        return failed?.status === 'failed';
      },
      'the delivery to fail its two attempts',
      30_000,
      100,
    );

    const table = await llmq(['webhooks', 'list', '--subject', promptId]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+EVENT\s+SUBJECT\s+STATUS\s+ATTEMPTS\s+LAST ANSWER$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${failed?.id}\\s+prompt\\.succeeded\\s+${promptId}\\s+failed\\s+2\\s+the receiver answered 502$`,
      ),
    );

    const retried = await llmq(['webhooks', 'retry', failed?.id as string]);
    expect(retried.stdout).toBe(`${failed?.id} pending\n`);
    await waitFor(
      async () =>
        (await server().client.webhookDelivery(failed?.id as string)).status === 'delivered',
      'the retried delivery to be delivered',
      30_000,
      100,
    );
    const shown = await llmq(['webhooks', 'show', failed?.id as string]);
    const delivery = JSON.parse(shown.stdout) as WebhookDeliveryBody;
    expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([500, 502, 200]);
    expect(JSON.parse(delivery.payload)).toMatchObject({
      type: 'prompt.succeeded',
      data: { id: promptId },
    });

    const again = await llmq(['webhooks', 'retry', failed?.id as string]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/only a failed delivery can be retried/);

    expect((await llmq(['webhooks', 'secret'])).stdout).toBe(`${secret}\n`);
    const none = await llmq(['webhooks', '--status', 'pending', '--subject', 'nothing-here']);
    expect(none.stdout).toBe('No webhook deliveries.\n');
  });
});
