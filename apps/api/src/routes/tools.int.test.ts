import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolListingBody } from '@llmq/contracts';
import {
  createTestDatabase,
  createTestRedis,
  type McpTestServer,
  type McpTestTool,
  mcpTestTools,
  startMcpTestServer,
  startServiceProcess,
  type TestDatabase,
  toolsPluginPath,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = new URL('../main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
let database: TestDatabase;
let folder: string;
let mcp: McpTestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'llmq-tools-'));
  mcp = await startMcpTestServer();
});

afterAll(async () => {
  await mcp?.close();
  await database?.drop();
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

/** An api of a fleet (no embedded worker) with the test tools plugin and these MCP servers. */
function startApi(
  mcpServers: Record<string, { url: string; headers?: Record<string, string> }>,
  embeddedWorker = false,
) {
  return startServiceProcess(entry, {
    PORT: '0',
    DATABASE_URL: database.url,
    STORAGE_URL: `file://${folder}/blobs`,
    LLMQ_DATA_DIR: folder,
    REDIS_URL: testRedis.url,
    LLMQ_QUEUE_PREFIX: testRedis.prefix,
    LLMQ_PRIVATE_REDIS: 'false',
    LLMQ_EMBEDDED_WORKER: String(embeddedWorker),
    LLMQ_PLUGINS: `@llmq/plugin-echo,${toolsPluginPath}`,
    LLMQ_MCP_SERVERS: JSON.stringify(mcpServers),
  });
}

describe('GET /v1/tools', () => {
  it('lists the plugins’ tools, then each MCP server’s, with their sources', async () => {
    const api = startApi({ text: { url: mcp.url, headers: { authorization: 'Bearer t0ken' } } });
    try {
      const line = await api.waitForLine(/llmq listening on/, 60_000);
      const { url } = JSON.parse(line) as { url: string };
      const response = await fetch(`${url}/v1/tools`);
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: ToolListingBody[] };
      const plugin = `plugin:${toolsPluginPath}`;
      expect(data.map((tool) => [tool.name, tool.source])).toEqual([
        ['add', plugin],
        ['count_calls', plugin],
        ['sleep', plugin],
        ['fail', plugin],
        ['repeat', plugin],
        ['upper', 'mcp:text'],
        ['word_count', 'mcp:text'],
        ['report_error', 'mcp:text'],
        ['wait', 'mcp:text'],
      ]);
    } finally {
      api.kill('SIGTERM');
      await api.exited;
    }
  });

  it('is never served by an api whose MCP server refuses it: the start stops, naming it', async () => {
    const url = mcp.url.replace(/\/mcp$/, '/not-mcp');
    const api = startApi({ text: { url } });
    expect(await api.exited).toBe(1);
    expect(api.lines.join('\n')).toContain(
      `MCP server text at ${url} (LLMQ_MCP_SERVERS) refused llmq`,
    );
    expect(api.lines.some((line) => line.includes('llmq listening on'))).toBe(false);
  });

  it('is never served by an api whose MCP server offers a plugin’s tool name: the start stops', async () => {
    const clashing = await startMcpTestServer({
      tools: [{ ...(mcpTestTools[0] as McpTestTool), name: 'add' }],
    });
    try {
      const api = startApi({ clash: { url: clashing.url } });
      expect(await api.exited).toBe(1);
      expect(api.lines.join('\n')).toContain(
        `Tool add of mcp:clash is already offered by plugin:${toolsPluginPath}`,
      );
    } finally {
      await clashing.close();
    }
  });

  it('lets a prompt call an MCP tool: the worker calls the server, the model gets its answer', async () => {
    const api = startApi({ text: { url: mcp.url } }, true);
    try {
      const line = await api.waitForLine(/llmq listening on/, 60_000);
      const { url } = JSON.parse(line) as { url: string };
      const before = mcp.calls.get('upper') ?? 0;
      const response = await fetch(`${url}/v1/prompts?wait=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          prompt: JSON.stringify({ tool_calls: [{ name: 'upper', arguments: { text: 'mcp' } }] }),
          tools: ['upper'],
        }),
      });
      expect(response.status).toBe(200);
      const prompt = (await response.json()) as { status: string; chain: { steps: string[] } };
      expect(prompt.status).toBe('succeeded');
      expect(prompt.chain.steps).toHaveLength(2);
      expect(mcp.calls.get('upper')).toBe(before + 1);
      const step = await fetch(`${url}/v1/prompts/${prompt.chain.steps[1]}`);
      expect(await step.json()).toMatchObject({
        tool_results: [{ name: 'upper', output: 'MCP', exception: null }],
      });
    } finally {
      api.kill('SIGTERM');
      await api.exited;
    }
  });
});
