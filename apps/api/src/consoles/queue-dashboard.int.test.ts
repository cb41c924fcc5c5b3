import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-dashboard-admin';
const api = useApi({ adminKeys: [adminKey] });

const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

describe('the queue dashboard at /admin/queues', () => {
  it('asks a browser for an admin key and shows the prompt queue to one', async () => {
    const refused = await fetch(`${api().baseUrl}/admin/queues`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/admin key/);

    const page = await fetch(`${api().baseUrl}/admin/queues`, {
      headers: { authorization: basic(adminKey) },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);

    const queues = await fetch(`${api().baseUrl}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: Array<{ name: string }> };
    // A queue per model.
    expect(body.queues.map((queue) => queue.name)).toEqual(
      expect.arrayContaining(['prompts.echo', 'prompts.local-vision']),
    );
  });

  it('refuses owner keys (403) and wrong keys (401)', async () => {
    const created = await fetch(`${api().baseUrl}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'someone' }),
    });
    const { key } = (await created.json()) as { key: string };
    const owner = await fetch(`${api().baseUrl}/admin/queues/api/queues`, {
      headers: { authorization: basic(key) },
    });
    expect(owner.status).toBe(403);
    const wrong = await fetch(`${api().baseUrl}/admin/queues`, {
      headers: { authorization: basic('nope') },
    });
    expect(wrong.status).toBe(401);
  });
});
