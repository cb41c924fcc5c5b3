import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type ServiceProcess, startServiceProcess, waitFor } from '@llmq/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type WebhookReceiver } from './webhook-receiver.fixture.ts';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

const apiEntry = new URL('../../api/src/main.ts', import.meta.url).pathname;

interface DeliveryBody {
  id: string;
  event_type: string;
  subject_id: string;
  status: 'pending' | 'delivered' | 'failed';
  payload: string;
  attempts: Array<{ attempt: number; status_code: number | null; error: string | null }>;
}

describe('webhooks across real api and worker processes', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const verifier = new Webhook(secret);
  let fleet: WorkerFleet;
  let receiver: WebhookReceiver;
  let api: ServiceProcess;
  let baseUrl = '';
  let dataFolder = '';
  let webhookSettings: Record<string, string> = {};

  const startWorker = () => fleet.start({ ...webhookSettings, LLMQ_LOG_FORMAT: 'json' });

  beforeAll(async () => {
    fleet = await openWorkerFleet();
    receiver = await startReceiver();
    dataFolder = await mkdtemp(join(tmpdir(), 'llmq-webhooks-'));
    webhookSettings = {
      // Only the receiver's own port on loopback: any other private address stays refused.
      LLMQ_URL_ALLOWLIST: `127.0.0.1:${receiver.port}`,
      LLMQ_WEBHOOK_SECRET: secret,
      LLMQ_WEBHOOK_SCAN_MS: '100',
      LLMQ_WEBHOOK_BACKOFF_MS: '100',
      LLMQ_WEBHOOK_MAX_ATTEMPTS: '5',
    };
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    api = startServiceProcess(apiEntry, {
      ...fleet.settings,
      ...webhookSettings,
      LLMQ_PLUGINS: '@llmq/plugin-echo',
      LLMQ_DATA_DIR: dataFolder,
      LLMQ_EMBEDDED_WORKER: 'false',
      LLMQ_PRIVATE_REDIS: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    await api.waitForLine(/llmq listening on/, 60_000);
  }, 90_000);

  afterAll(async () => {
    api?.kill('SIGKILL');
    await api?.exited;
    await fleet?.close();
    await receiver?.close();
    if (dataFolder) await rm(dataFolder, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const deliveriesOf = async (subjectId: string): Promise<DeliveryBody[]> => {
    const response = await fetch(`${baseUrl}/v1/webhook-deliveries?subject_id=${subjectId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: DeliveryBody[] }).data;
  };

  /** The subject's deliveries once none is pending any more. */
  const settled = async (subjectId: string, timeoutMs = 60_000): Promise<DeliveryBody[]> => {
    await waitFor(
      async () => {
        const deliveries = await deliveriesOf(subjectId);
        return (
          deliveries.length > 0 && deliveries.every((delivery) => delivery.status !== 'pending')
        );
      },
      `the webhook of ${subjectId} to be delivered`,
      timeoutMs,
      100,
    );
    return deliveriesOf(subjectId);
  };

  /**
   * With one worker, post a prompt whose webhook goes to `url`; SIGKILL that worker once
   * `reached` (the receiver holds open the send it dies in), check the delivery is still
   * pending, and start the worker that takes it over.
   */
  const killMidSend = async (url: string, prompt: string, reached: () => boolean, what: string) => {
    await fleet.killAll();
    const doomed = startWorker();
    await doomed.waitForLine(/worker ready/, 60_000);
    const created = await post('/v1/prompts', { model: 'echo', prompt, webhook_url: url });
    const promptId = created.body.id as string;
    await waitFor(async () => reached(), what, 30_000, 20);
    doomed.kill('SIGKILL');
    await doomed.exited;
    const [pending] = await deliveriesOf(promptId);
    expect(pending?.status).toBe('pending');
    const heir = startWorker();
    await heir.waitForLine(/worker ready/, 60_000);
    return { promptId, heir };
  };

  /** Every request the receiver got on `path`, each checked as a Standard Webhooks receiver would. */
  const verifiedRequests = (path: string) =>
    receiver.received
      .filter((request) => request.path === path)
      .map((request) => ({
        ...request,
        event: verifier.verify(request.body, request.headers) as {
          type: string;
          data: Record<string, unknown>;
        },
      }));

  it('delivers prompt.succeeded through a receiver that fails twice: 3 attempts, one webhook-id, valid signatures', async () => {
    const worker = startWorker();
    await worker.waitForLine(/worker ready/, 60_000);
    const url = receiver.url('/prompt-ok', [500, 503]);
    const created = await post('/v1/prompts', {
      model: 'echo',
      prompt: 'ring me',
      webhook_url: url,
    });
    expect(created.status).toBe(202);
    const promptId = created.body.id as string;

    const [delivery, ...others] = await settled(promptId);
    expect(others).toEqual([]);
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.event_type).toBe('prompt.succeeded');
    expect(delivery?.attempts.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(delivery?.attempts[0]?.error).toContain('500');

    const requests = verifiedRequests('/prompt-ok');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([delivery?.id]),
    );
    for (const request of requests) {
      expect(request.body).toBe(delivery?.payload);
      expect(request.event.type).toBe('prompt.succeeded');
      expect(request.event.data.id).toBe(promptId);
      expect(request.event.data.status).toBe('succeeded');
      // Echo answers with what it was asked, as JSON.
      expect(JSON.parse(request.event.data.text as string)).toMatchObject({ prompt: 'ring me' });
    }
    // A signature made with another secret is refused by the same verifier.
    const forged = { ...requests[0]?.headers, 'webhook-signature': 'v1,AAAA' };
    expect(() => verifier.verify(requests[0]?.body ?? '', forged)).toThrow();
  });

  it('delivers prompt.failed for a prompt that failed, and serves the secret to admins', async () => {
    const url = receiver.url('/prompt-failed');
    const created = await post('/v1/prompts', {
      model: 'echo',
      prompt: 'break',
      options: { fail: 'fatal' },
      webhook_url: url,
    });
    const promptId = created.body.id as string;
    const [delivery] = await settled(promptId);
    expect(delivery?.event_type).toBe('prompt.failed');
    const [request] = verifiedRequests('/prompt-failed');
    expect(request?.event.data.status).toBe('failed');
    expect(request?.event.data.error).toMatchObject({ message: expect.any(String) });

    const secretResponse = await fetch(`${baseUrl}/v1/webhooks/secret`);
    expect(await secretResponse.json()).toEqual({ secret });
  });

  it('delivers batch.completed once for a batch, and nothing for its items', async () => {
    const url = receiver.url('/batch-done');
    const created = await post('/v1/batches', {
      model: 'echo',
      items: [{ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }],
      webhook_url: url,
    });
    expect(created.status).toBe(201);
    const batchId = created.body.id as string;
    const [delivery, ...others] = await settled(batchId);
    expect(others).toEqual([]);
    expect(delivery?.event_type).toBe('batch.completed');
    const requests = verifiedRequests('/batch-done');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.event.type).toBe('batch.completed');
    expect(requests[0]?.event.data.id).toBe(batchId);
    expect(requests[0]?.event.data.counts).toMatchObject({ total: 3, succeeded: 3 });
  });

  it('delivers batch.cancelled for a cancelled batch', async () => {
    const url = receiver.url('/batch-cancelled');
    const created = await post('/v1/batches', {
      model: 'echo',
      options: { delay_ms: 5_000 },
      items: Array.from({ length: 8 }, (_, index) => ({ prompt: `slow ${index}` })),
      webhook_url: url,
    });
    const batchId = created.body.id as string;
    const cancelled = await post(`/v1/batches/${batchId}/cancel`, {});
    expect(cancelled.status).toBe(200);
    const [delivery] = await settled(batchId);
    expect(delivery?.event_type).toBe('batch.cancelled');
    const [request] = verifiedRequests('/batch-cancelled');
    expect(request?.event.data.status).toBe('cancelled');
  });

  it('fails a delivery after the last attempt, and POST …/retry delivers it in a new round', async () => {
    const url = receiver.url('/always-down', [500, 500, 500, 500, 500]);
    const created = await post('/v1/prompts', { model: 'echo', prompt: 'down', webhook_url: url });
    const promptId = created.body.id as string;
    const [failed] = await settled(promptId);
    expect(failed?.status).toBe('failed');
    expect(failed?.attempts.map((attempt) => attempt.status_code)).toEqual([
      500, 500, 500, 500, 500,
    ]);
    const again = await post(`/v1/webhook-deliveries/${failed?.id}/retry`, {});
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('pending');
    const [delivered] = await settled(promptId);
    expect(delivered?.status).toBe('delivered');
    expect(delivered?.attempts.at(-1)).toMatchObject({ attempt: 6, status_code: 200 });
    const ids = new Set(verifiedRequests('/always-down').map((r) => r.headers['webhook-id']));
    expect(ids).toEqual(new Set([failed?.id]));
    // Delivered: there is nothing to retry.
    expect((await post(`/v1/webhook-deliveries/${failed?.id}/retry`, {})).status).toBe(409);
  });

  it('refuses webhooks to private, loopback and metadata addresses at submission (422 naming the rule)', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      `http://localhost:${receiver.port}/hook`,
      'http://10.1.2.3/hook',
      `http://[::ffff:127.0.0.1]:${receiver.port}/hook`,
    ]) {
      const response = await fetch(`${baseUrl}/v1/prompts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'echo', prompt: 'x', webhook_url: url }),
      });
      expect(response.status, url).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { type: string; detail: string };
      expect(problem.type).toBe('urn:llmq:problem:webhook-url-refused');
      expect(problem.detail).toMatch(/public addresses/);
    }
    const batch = await post('/v1/batches', {
      model: 'echo',
      items: [{ prompt: 'x' }],
      webhook_url: 'http://169.254.169.254/',
    });
    expect(batch.status).toBe(422);
    const ftp = await post('/v1/prompts', { prompt: 'x', webhook_url: 'ftp://example.com/' });
    expect(ftp.status).toBe(422);
  });

  it('a worker SIGKILLed mid-delivery: another worker delivers it, same webhook-id, valid signature', async () => {
    // The first attempt reaches the receiver, which holds it open: the worker dies in it.
    const url = receiver.url('/killed', ['hang']);
    const { promptId, heir } = await killMidSend(
      url,
      'survive',
      () => receiver.received.some((request) => request.path === '/killed'),
      'the first attempt to reach the receiver',
    );
    const [delivery] = await settled(promptId);
    expect(delivery?.status).toBe('delivered');
    // The cut attempt counted; only the one that finished is recorded.
    expect(delivery?.attempts.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([
      [2, 200],
    ]);
    const requests = verifiedRequests('/killed');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const request of requests) {
      expect(request.headers['webhook-id']).toBe(delivery?.id);
      expect(request.event.data.id).toBe(promptId);
    }
    expect(heir.lines.some((line) => line.includes('webhook delivered'))).toBe(true);
  });

  it("a worker SIGKILLed in a round's last attempt: the round ends failed, no sixth send; a retry opens a new round", async () => {
    // Attempts 1-4 answered 500; the receiver holds the fifth, the round's last, open.
    const url = receiver.url('/killed-last', [500, 500, 500, 500, 'hang']);
    const requestsSoFar = () => receiver.received.filter((r) => r.path === '/killed-last').length;
    const { promptId } = await killMidSend(
      url,
      'last',
      () => requestsSoFar() === 5,
      'the fifth attempt to reach the receiver',
    );
    const [failed] = await settled(promptId);
    expect(failed?.status).toBe('failed');
    expect(failed?.attempts.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 500],
      [5, null],
    ]);
    expect(failed?.attempts[4]?.error).toMatch(/cut short/);
    // The heir closed the round instead of sending a sixth time.
    expect(requestsSoFar()).toBe(5);

    const again = await post(`/v1/webhook-deliveries/${failed?.id}/retry`, {});
    expect(again.status).toBe(202);
    const [delivered] = await settled(promptId);
    expect(delivered?.status).toBe('delivered');
    expect(delivered?.attempts.at(-1)).toMatchObject({ attempt: 6, status_code: 200 });
    expect(requestsSoFar()).toBe(6);
  });

  // Last: once owner keys exist, every api of this database asks for keys.
  it('reports to the key’s webhook when the prompt names none; owners see only their deliveries', async () => {
    const adminKey = `admin-${randomBytes(8).toString('hex')}`;
    const port = await freePort();
    const keyed = startServiceProcess(apiEntry, {
      ...fleet.settings,
      ...webhookSettings,
      LLMQ_PLUGINS: '@llmq/plugin-echo',
      LLMQ_DATA_DIR: dataFolder,
      LLMQ_EMBEDDED_WORKER: 'false',
      LLMQ_PRIVATE_REDIS: 'false',
      LLMQ_API_KEYS: adminKey,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    try {
      await keyed.waitForLine(/llmq listening on/, 60_000);
      const call = async (key: string, method: string, path: string, body?: unknown) => {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
        };
      };
      const hook = receiver.url('/key-hook');
      const ana = await call(adminKey, 'POST', '/v1/keys', {
        name: 'ana',
        owner: 'ana',
        webhook_url: hook,
      });
      expect(ana.status).toBe(201);
      const bob = await call(adminKey, 'POST', '/v1/keys', { name: 'bob', owner: 'bob' });
      const anaKey = ana.body.key as string;
      const bobKey = bob.body.key as string;

      const created = await call(anaKey, 'POST', '/v1/prompts', { model: 'echo', prompt: 'key' });
      expect(created.status).toBe(202);
      const promptId = created.body.id as string;
      let deliveryId = '';
      await waitFor(
        async () => {
          const page = await call(anaKey, 'GET', `/v1/webhook-deliveries?subject_id=${promptId}`);
          const [delivery] = page.body.data as DeliveryBody[];
          deliveryId = delivery?.id ?? '';
          return delivery?.status === 'delivered';
        },
        'the key’s webhook to be delivered',
        60_000,
        100,
      );
      const [request] = verifiedRequests('/key-hook');
      expect(request?.event.data.id).toBe(promptId);

      const bobsView = await call(bobKey, 'GET', `/v1/webhook-deliveries?subject_id=${promptId}`);
      expect(bobsView.body.data).toEqual([]);
      expect((await call(bobKey, 'GET', `/v1/webhook-deliveries/${deliveryId}`)).status).toBe(404);
      expect(
        (await call(bobKey, 'POST', `/v1/webhook-deliveries/${deliveryId}/retry`)).status,
      ).toBe(404);
      const adminsView = await call(adminKey, 'GET', `/v1/webhook-deliveries/${deliveryId}`);
      expect(adminsView.body.status).toBe('delivered');
      expect((await call(anaKey, 'GET', '/v1/webhooks/secret')).status).toBe(403);
      expect((await call(adminKey, 'GET', '/v1/webhooks/secret')).body).toEqual({ secret });
    } finally {
      keyed.kill('SIGKILL');
      await keyed.exited;
    }
  });
});
