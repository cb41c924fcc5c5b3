import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  startCommandProcess,
  startServiceProcess,
  type TestDatabase,
  toolsPluginPath,
} from '@llmq/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type StreamCutter, startStreamCutter } from './stream-cutter.ts';

// fileURLToPath, not URL.pathname: a checkout in a folder with a space or non-ASCII name
// would give a percent-encoded path.
const webRoot = fileURLToPath(new URL('..', import.meta.url));
const apiEntry = fileURLToPath(new URL('../../api/src/main.ts', import.meta.url));
// Run with this Node (24), not whichever `node` the PATH has first.
const viteCli = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
/** Screenshots are this suite's artifacts (test-results/ is kept by CI, ignored by git). */
export const screenshotFolder = fileURLToPath(
  new URL('../../../test-results/web/', import.meta.url),
);

const chromiumPath = '/usr/bin/chromium';
/** The OpenAI plugin's one model here, listed before echo: the api has no key for it. */
export const unavailableModel = 'gpt-without-key';
/** Above the api's own 60 s wait to listen, so that a slow start fails saying which step. */
const setupTimeoutMs = 120_000;

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
  /**
   * Uncaught errors and console errors (CSP violations among them) of the current test's pages:
   * any fails the test.
   */
  readonly pageErrors: readonly string[];
  /** A fresh browser tab (its own session storage), closed after the test. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** GET a JSON document of the API with the admin key. */
  getJson<T>(path: string): Promise<T>;
}

/**
 * The console end to end: apps/web built by Vite into a folder of its own, the api in a process
 * of its own serving it (LLMQ_WEB_DIR) with an embedded worker, the echo model (the default) and
 * an OpenAI model without its key (`unavailableModel`), admin keys on, real PostgreSQL and Redis,
 * and Debian's Chromium driven by playwright-core.
 */
export function useConsole(): () => ConsoleHarness {
  const adminKey = 'web-console-admin-key-0123456789';
  const testRedis = createTestRedis();
  let testDatabase: TestDatabase | undefined;
  let folder = '';
  let api: ServiceProcess | undefined;
  let browser: Browser | undefined;
  let cutter: StreamCutter | undefined;
  /** The current test's browser contexts and pages. */
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  const pageErrors: string[] = [];
  let harness: ConsoleHarness | undefined;

  beforeAll(async () => {
    // Checked first: without it every test fails later with a less helpful launch error.
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `The web console tests drive Chromium at ${chromiumPath}, which is missing: install it with \`apt-get install -y chromium\` (Debian)`,
      );
    }
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
      // OpenAI first, so that its model is the first listed and the console must start on the
      // default (echo) rather than on the first. The test tools give chains to show.
      LLMQ_PLUGINS: `@llmq/plugin-openai,@llmq/plugin-echo,${toolsPluginPath}`,
      // Left out of what the api inherits: a key for OpenAI would make its model available.
      OPENAI_API_KEY: undefined,
      LLMQ_OPENAI_MODELS: JSON.stringify([{ id: unavailableModel }]),
      LLMQ_API_KEYS: adminKey,
      LLMQ_RETRY_BACKOFF_MS: '50',
      // Echo's answers cost something, for the usage page.
      LLMQ_MODEL_PRICES: JSON.stringify({ echo: { input: 1_000, output: 2_000 } }),
      LLMQ_WEB_DIR: join(folder, 'web'),
    });
    const [listening, launched] = await Promise.all([
      api.waitForLine(/llmq listening on/, 60_000),
      chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags }),
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
        // Well within a test's own limit (console.int.test.ts), so that a stuck wait says so.
        context.setDefaultTimeout(30_000);
        contexts.push(context);
        const page = await context.newPage();
        pages.push(page);
        page.on('pageerror', (error) => pageErrors.push(error.message));
        page.on('console', (message) => {
          // Chromium also logs each request that fails or is refused: the console meets those
          // on purpose (a 401 asks for the key, a cut stream resumes) and the tests check how.
          if (message.type() !== 'error' || message.text().startsWith('Failed to load resource:')) {
            return;
          }
          pageErrors.push(`console: ${message.text()}`);
        });
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
  }, setupTimeoutMs);

  afterEach(async (context) => {
    const errors = pageErrors.splice(0);
    const failed = context.task.result?.state === 'fail' || errors.length > 0;
    if (failed) {
      const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
      for (const [index, page] of pages.entries()) {
        await saveScreenshot(page, `failed-${name}-${index + 1}`).catch(() => undefined);
      }
    }
    pages.length = 0;
    // Closed now, so that a page left running cannot put its errors on the next test.
    for (const browserContext of contexts.splice(0)) {
      await browserContext.close().catch(() => undefined);
    }
    expect(errors, 'errors in the pages').toEqual([]);
  });

  afterAll(async () => {
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
