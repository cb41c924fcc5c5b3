import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  startCommandProcess,
  startServiceProcess,
  type TestDatabase,
} from '@llmq/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type StreamCutter, startStreamCutter } from './stream-cutter.ts';

const webRoot = new URL('..', import.meta.url).pathname;
const apiEntry = new URL('../../api/src/main.ts', import.meta.url).pathname;
// Run with this Node (24), not whichever `node` the PATH has first.
const viteCli = new URL('../node_modules/vite/bin/vite.js', import.meta.url).pathname;
/** Screenshots are this suite's artifacts (test-results/ is kept by CI, ignored by git). */
export const screenshotFolder = new URL('../../../test-results/web/', import.meta.url).pathname;

/** The flags Debian's chromium needs here (see ../shared/toolchain.md). */
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleHarness {
  /** Where the browser opens the console: through the stream cutter. */
  readonly consoleUrl: string;
  /** The api itself, for checks from the test. */
  readonly apiUrl: string;
  readonly adminKey: string;
  readonly cutter: StreamCutter;
  /** Uncaught errors of every page so far: there should be none. */
  readonly pageErrors: readonly string[];
  /** A fresh browser tab (its own session storage), closed after the test file. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** GET a JSON document of the API with the admin key. */
  getJson<T>(path: string): Promise<T>;
}

/**
 * The console end to end: apps/web built by Vite into a folder of its own, the api in a process
 * of its own serving it (LLMQ_WEB_DIR) with an embedded worker, the echo model and admin keys on,
 * real PostgreSQL and Redis, and Debian's Chromium driven by playwright-core.
 */
export function useConsole(): () => ConsoleHarness {
  const adminKey = 'web-console-admin-key-0123456789';
  const testRedis = createTestRedis();
  let testDatabase: TestDatabase | undefined;
  let folder = '';
  let api: ServiceProcess | undefined;
  let browser: Browser | undefined;
  let cutter: StreamCutter | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let harness: ConsoleHarness | undefined;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'llmq-web-'));
    await mkdir(screenshotFolder, { recursive: true });
    const build = startCommandProcess(
      process.execPath,
      [viteCli, 'build', '--outDir', join(folder, 'web'), '--emptyOutDir', '--logLevel', 'warn'],
      {},
      { cwd: webRoot },
    );
    const [built, database] = await Promise.all([build.exited, createTestDatabase()]);
    testDatabase = database;
    if (built !== 0) throw new Error(`vite build failed (${built}):\n${build.lines.join('\n')}`);
    api = startServiceProcess(apiEntry, {
      PORT: '0',
      DATABASE_URL: database.url,
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      STORAGE_URL: `file://${folder}/blobs`,
      LLMQ_EMBEDDED_WORKER: 'true',
      WORKER_CONCURRENCY: '5',
      LLMQ_PLUGINS: '@llmq/plugin-echo',
      LLMQ_API_KEYS: adminKey,
      LLMQ_RETRY_BACKOFF_MS: '50',
      LLMQ_WEB_DIR: join(folder, 'web'),
    });
    const [listening, launched] = await Promise.all([
      api.waitForLine(/llmq listening on/, 60_000),
      chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumFlags }),
    ]);
    browser = launched;
    const apiUrl = (JSON.parse(listening) as { url: string }).url;
    cutter = await startStreamCutter(Number(new URL(apiUrl).port));
    const openBrowser = browser;
    const openCutter = cutter;
    harness = {
      consoleUrl: `http://127.0.0.1:${cutter.port}`,
      apiUrl,
      adminKey,
      cutter: openCutter,
      pageErrors,
      newPage: async (viewport = { width: 1280, height: 900 }) => {
        const context = await openBrowser.newContext({ viewport, acceptDownloads: true });
        contexts.push(context);
        const page = await context.newPage();
        // Uncaught errors of the page are kept for the test to check.
        page.on('pageerror', (error) => pageErrors.push(error.message));
        return page;
      },
      getJson: async <T>(path: string) => {
        const response = await fetch(`${apiUrl}${path}`, {
          headers: { authorization: `Bearer ${adminKey}` },
        });
        if (!response.ok)
          throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as T;
      },
    };
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await cutter?.close();
    api?.kill('SIGTERM');
    await api?.exited;
    await testDatabase?.drop();
    await testRedis.cleanup();
    await rm(folder, { recursive: true, force: true });
  });

  return () => {
    if (!harness) throw new Error('the console harness is not ready yet');
    return harness;
  };
}

/** Save the page as this test's artifact: test-results/web/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotFolder, `${name}.png`), fullPage: true });
}

/** The console asks for the key once per tab: give it the admin key. */
export async function enterApiKey(page: Page, key: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'API key needed' });
  await dialog.waitFor();
  await dialog.getByLabel('API key').fill(key);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await dialog.waitFor({ state: 'detached' });
}
