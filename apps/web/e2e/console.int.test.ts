import { readFile } from 'node:fs/promises';
import type {
  BatchBody,
  BatchResultBody,
  ConversationBody,
  PromptAccepted,
  PromptBody,
  UsageReportBody,
} from '@llmq/contracts';
import { makePng, makeWav } from '@llmq/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../src/format-usd.ts';
import { enterApiKey, saveScreenshot, unavailableModel, useConsole } from './console.fixture.ts';

const harness = useConsole();

/** Open the console's playground, give it the key, and wait for the models. */
async function openPlayground(page: Page): Promise<void> {
  await page.goto(harness().consoleUrl);
  await enterApiKey(page, harness().adminKey);
  await page.getByLabel('Model', { exact: true }).selectOption('echo');
}

/** Fill a generated option field (the form is built from the model's JSON Schema). */
async function setOption(page: Page, name: string, value: string): Promise<void> {
  const details = page.locator('.options-details');
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) {
    await details.locator('summary').click();
  }
  const field = page.getByLabel(name, { exact: true });
  if ((await field.evaluate((element) => element.tagName)) === 'SELECT') {
    await field.selectOption(value);
  } else {
    await field.fill(value);
  }
}

/** Wait for the answer to end, and answer its prompt id and its streamed text. */
async function finishedAnswer(page: Page, phase = 'succeeded') {
  const answer = page.locator(`.answer[data-phase="${phase}"]`);
  await answer.waitFor({ timeout: 30_000 });
  return {
    id: (await answer.getAttribute('data-prompt-id')) as string,
    text: (await answer.locator('.answer-text').textContent()) ?? '',
  };
}

/** POST to the API with the admin key; answers the JSON body. */
async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${harness().apiUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${harness().adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** How wide the page is laid out: more than the viewport means sideways scrolling. */
function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

// A wait gives up after 30 s (45 s for a whole batch), well within each test's own limit, so
// that a stuck step fails with its own message rather than the test's timeout.
describe('the web console', { timeout: 120_000 }, () => {
  it('sends a prompt with an image and streams the answer the server stored', async () => {
    const page = await harness().newPage();
    await openPlayground(page);
    const image = Buffer.from(makePng(200, 40, 40, 24));
    // Every value the upload's progress bar takes, seen as it changes.
    await page.evaluate(() => {
      const seen: Array<{ label: string | null; value: number }> = [];
      (window as unknown as { uploadProgress: typeof seen }).uploadProgress = seen;
      const list = document.querySelector('.attachment-list') as HTMLElement;
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          const bars =
            mutation.type === 'attributes'
              ? [mutation.target]
              : [...mutation.addedNodes].flatMap((node) =>
                  node instanceof HTMLElement ? [...node.querySelectorAll('progress')] : [],
                );
          for (const bar of bars) {
            if (!(bar instanceof HTMLProgressElement)) continue;
            seen.push({ label: bar.getAttribute('aria-label'), value: bar.value });
          }
        }
      }).observe(list, { childList: true, subtree: true, attributes: true });
    });
    await page.locator('.composer input[type=file]').setInputFiles({
      name: 'red.png',
      mimeType: 'image/png',
      buffer: image,
    });
    await page.locator('.attachment-list li[data-state="uploaded"]').waitFor();
    const progress = await page.evaluate(
      () =>
        (window as unknown as { uploadProgress: Array<{ label: string; value: number }> })
          .uploadProgress,
    );
    expect(progress[0]).toEqual({ label: 'Uploading red.png', value: 0 });
    expect(progress.at(-1)?.value).toBe(100);
    await page.getByLabel('System prompt').fill('Answer briefly.');
    await page.getByLabel('Prompt', { exact: true }).fill('What is in this picture?');
    await setOption(page, 'chunk_size', '5');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const answer = await finishedAnswer(page);
    const stored = await harness().getJson<PromptBody>(`/v1/prompts/${answer.id}`);
    expect(stored.status).toBe('succeeded');
    expect(answer.text).toBe(stored.text);
    const echoed = JSON.parse(answer.text) as {
      prompt: string;
      system: string;
      attachments: Array<{ type: string; size: number }>;
      options: Record<string, unknown>;
    };
    expect(echoed).toMatchObject({
      prompt: 'What is in this picture?',
      system: 'Answer briefly.',
      attachments: [{ type: 'image/png', size: image.length }],
      options: { chunk_size: 5 },
    });
    // Every form control is labelled for screen readers.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('main input, main select, main textarea')]
        .filter((control) => {
          const labels = (control as HTMLInputElement).labels;
          return !(labels && labels.length > 0) && !control.getAttribute('aria-label');
        })
        .map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await saveScreenshot(page, 'prompt-with-image');

    // The prompt's page: its text, usage, timings, and the image previewed.
    await page.getByRole('link', { name: 'Prompt details' }).click();
    await page.getByRole('heading', { name: 'Prompt', level: 1 }).waitFor();
    const preview = page.getByRole('img', { name: /Attachment 1: image\/png/ });
    await preview.waitFor();
    await page.waitForFunction(
      () => (document.querySelector('img.preview') as HTMLImageElement | null)?.naturalWidth === 24,
    );
    expect(await page.locator('.answer-text').textContent()).toBe(stored.text);
    expect(await page.locator('dd').allTextContents()).toContain(String(stored.usage?.output));
    await saveScreenshot(page, 'prompt-page');
  });

  it('resumes a stream dropped mid-answer with no text twice', async () => {
    const page = await harness().newPage();
    await openPlayground(page);
    await setOption(page, 'chunk_size', '8');
    await setOption(page, 'delay_ms', '20');
    const held = harness().cutter.holdAfterChunks(3);
    const streamsBefore = harness().cutter.streamRequests.length;
    // Sent from the keyboard: Ctrl+Enter in the prompt.
    await page.getByLabel('Prompt', { exact: true }).fill('Stream this slowly, please.');
    await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
    // Three chunk events reach the page, it shows them, then the connection ends.
    const stream = await held;
    await page.waitForFunction(
      (text) => document.querySelector('.answer .answer-text')?.textContent === text,
      stream.text,
    );
    await stream.end();

    const answer = await finishedAnswer(page);
    const stored = await harness().getJson<PromptBody>(`/v1/prompts/${answer.id}`);
    expect(answer.text).toBe(stored.text);
    expect(stored.text?.startsWith(stream.text)).toBe(true);
    expect(stream.text.length).toBeLessThan(stored.text?.length ?? 0);
    const streams = harness().cutter.streamRequests.slice(streamsBefore);
    const chunks = harness().cutter.chunkEvents.slice(streamsBefore);
    // The next connection resumed after the last event received and brought the rest.
    expect(streams).toHaveLength(2);
    expect(chunks[0]).toBe(3);
    expect(chunks[1]).toBeGreaterThan(0);
    expect(streams[0]).toMatch(/[?&]after=0(&|$)/);
    expect(streams[1]).toMatch(/[?&]after=\d+-\d+(&|$)/);
    expect(streams[1]).not.toMatch(/[?&]after=0(&|$)/);
    await saveScreenshot(page, 'stream-resumed');
  });

  it('drops the partial text of a failed attempt when the retry restarts', async () => {
    const page = await harness().newPage();
    await openPlayground(page);
    await setOption(page, 'chunk_size', '8');
    await setOption(page, 'fail', 'retryable');
    await setOption(page, 'fail_attempts', '1');
    await setOption(page, 'fail_after_chunks', '3');
    await page.getByLabel('Prompt', { exact: true }).fill('Fail once, then answer.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const answer = await finishedAnswer(page);
    const stored = await harness().getJson<PromptBody>(`/v1/prompts/${answer.id}`);
    expect(stored.attempts).toBe(2);
    expect(answer.text).toBe(stored.text);
    expect(await page.locator('.answer .phase').textContent()).toBe('Done (attempt 2)');
    await saveScreenshot(page, 'restarted-attempt');
  });

  it('cancels a running prompt', async () => {
    const page = await harness().newPage();
    await openPlayground(page);
    await setOption(page, 'chunk_size', '4');
    await setOption(page, 'delay_ms', '1000');
    await page.getByLabel('Prompt', { exact: true }).fill('This will take a while.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.answer[data-phase="running"]').waitFor();
    // Cancelled from the prompt's own page, whose facts then show how it ended.
    await page.getByRole('link', { name: 'Prompt details' }).click();
    const status = page.locator('.facts dt:text-is("Status") + dd');
    await status.filter({ hasText: 'running' }).waitFor();
    await page.locator('.answer[data-phase="running"]').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const answer = await finishedAnswer(page, 'cancelled');
    await status.filter({ hasText: 'cancelled' }).waitFor();
    const stored = await harness().getJson<PromptBody>(`/v1/prompts/${answer.id}`);
    expect(stored.status).toBe('cancelled');
    expect(await page.locator('.facts dt:text-is("Completed") + dd').textContent()).not.toBe('—');
    await saveScreenshot(page, 'prompt-cancelled');
  });

  it('runs a batch over 50 dropped files at 375 px wide: progress to 100%, results downloaded', async () => {
    const page = await harness().newPage({ width: 375, height: 800 });
    await page.goto(`${harness().consoleUrl}/batches`);
    await enterApiKey(page, harness().adminKey);
    await page.getByRole('heading', { name: 'New batch' }).waitFor();
    const files = Array.from({ length: 50 }, (_, index) => ({
      name: `image-${String(index).padStart(2, '0')}.png`,
      base64: Buffer.from(makePng(index * 5, 100, 255 - index * 5, 2)).toString('base64'),
    }));
    const dataTransfer = await page.evaluateHandle((items) => {
      const transfer = new DataTransfer();
      for (const item of items) {
        const bytes = Uint8Array.from(atob(item.base64), (character) => character.charCodeAt(0));
        transfer.items.add(new File([bytes], item.name, { type: 'image/png' }));
      }
      return transfer;
    }, files);
    await page.locator('.new-batch .drop-zone').dispatchEvent('drop', { dataTransfer });
    await page.getByText('50 files').waitFor();
    await page.getByLabel('Model', { exact: true }).selectOption('echo');
    await page.getByLabel('Prompt', { exact: true }).fill('Describe this image.');
    // Slow enough items that the bar is seen moving.
    await setOption(page, 'delay_ms', '300');
    await setOption(page, 'chunk_size', '100000');
    await page.getByRole('button', { name: 'Start the batch' }).click();

    await page.locator('.batch-page').waitFor();
    // Every percentage the bar shows, in order.
    await page.evaluate(() => {
      const label = document.getElementById('batch-progress-label') as HTMLElement;
      const seen = [Number(label.dataset.percent)];
      (window as unknown as { seenPercents: number[] }).seenPercents = seen;
      new MutationObserver(() => seen.push(Number(label.dataset.percent))).observe(label, {
        attributes: true,
      });
    });
    await page.locator('.batch-page[data-status="completed"]').waitFor({ timeout: 45_000 });
    const seen = await page.evaluate(
      () => (window as unknown as { seenPercents: number[] }).seenPercents,
    );
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((percent) => percent < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await page.locator('[data-count="succeeded"]').textContent()).toBe('50');
    expect(await page.locator('.batch-page .rate').textContent()).toMatch(/^\d+\.\d items\/s$/);
    expect(await page.locator('progress').getAttribute('aria-valuetext')).toBe(
      '100%, 50 of 50 items done',
    );
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download results' }).click(),
    ]);
    const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    const results = lines.map((line) => JSON.parse(line) as BatchResultBody);
    expect(results).toHaveLength(50);
    expect(results.map((result) => result.custom_id)).toEqual(files.map((file) => file.name));
    expect(results.every((result) => result.status === 'succeeded')).toBe(true);
    expect(JSON.parse(results[0]?.text ?? '{}')).toMatchObject({
      prompt: 'Describe this image.',
      attachments: [{ type: 'image/png' }],
    });
    await saveScreenshot(page, 'batch-completed-375px');
  });

  it('answers with a schema as data, and shows a schema batch’s results as a table', async () => {
    const page = await harness().newPage({ width: 375, height: 800 });
    await openPlayground(page);
    // The echo model answers a prompt with a schema with the prompt's own JSON.
    await page.getByLabel('Schema', { exact: true }).fill('name, age int: in years');
    await page.getByLabel('Prompt', { exact: true }).fill('{"name": "Ada", "age": 36}');
    await setOption(page, 'reasoning', 'Ada is a name; 36 is an age.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const { id } = await finishedAnswer(page);
    // The reasoning is kept apart from the answer, folded.
    const reasoning = page.locator('.answer details.reasoning');
    expect(await reasoning.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    expect(await reasoning.locator('.reasoning-text').textContent()).toBe(
      'Ada is a name; 36 is an age.',
    );
    const data = page.locator('.answer .answer-data');
    await data.waitFor();
    expect(JSON.parse((await data.textContent()) ?? '')).toEqual({ name: 'Ada', age: 36 });
    const stored = await harness().getJson<PromptBody>(`/v1/prompts/${id}`);
    expect(stored.data).toEqual({ name: 'Ada', age: 36 });
    expect(stored.reasoning).toBe('Ada is a name; 36 is an age.');
    expect(stored.schema_id).toMatch(/^[0-9a-f]{64}$/);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await saveScreenshot(page, 'prompt-with-schema-375px');

    // A JSON schema that is not JSON is refused in the form, before anything is sent.
    await page.getByLabel('Schema', { exact: true }).fill('{"type": ');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText(/^The schema is not valid JSON/).waitFor();

    await page.goto(`${harness().consoleUrl}/batches`);
    await page.getByRole('heading', { name: 'New batch' }).waitFor();
    const images = ['a.png', 'b.png'].map((name, index) => ({
      name,
      base64: Buffer.from(makePng(index, 0, 0, 2)).toString('base64'),
    }));
    const dataTransfer = await page.evaluateHandle((items) => {
      const transfer = new DataTransfer();
      for (const item of items) {
        const bytes = Uint8Array.from(atob(item.base64), (character) => character.charCodeAt(0));
        transfer.items.add(new File([bytes], item.name, { type: 'image/png' }));
      }
      return transfer;
    }, images);
    await page.locator('.new-batch .drop-zone').dispatchEvent('drop', { dataTransfer });
    await page.getByText('2 files').waitFor();
    await page.getByLabel('Model', { exact: true }).selectOption('echo');
    await page
      .getByLabel('Prompt', { exact: true })
      .fill('{"items": [{"vendor": "ACME", "total": 12.5}, {"vendor": "Initech", "total": 3}]}');
    await page.getByLabel('Schema', { exact: true }).fill('vendor, total float');
    await page.getByRole('checkbox', { name: /Many/ }).check();
    await page.getByRole('button', { name: 'Start the batch' }).click();
    const table = page.getByRole('table');
    await table.waitFor({ timeout: 45_000 });
    expect(await table.locator('thead th').allTextContents()).toEqual(['Item', 'vendor', 'total']);
    expect(await table.locator('tbody tr').allTextContents()).toEqual([
      'a.pngACME12.5',
      'a.pngInitech3',
      'b.pngACME12.5',
      'b.pngInitech3',
    ]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await saveScreenshot(page, 'batch-with-schema-375px');
  });

  it('finds a prompt by search and filters, and continues its conversation', async () => {
    const word = `zebra${Date.now().toString(36)}`;
    const response = await fetch(`${harness().apiUrl}/v1/prompts?wait=true`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness().adminKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'echo', prompt: `Tell me about the ${word}.` }),
    });
    const first = (await response.json()) as PromptBody & PromptAccepted;
    expect(first.status).toBe('succeeded');

    const page = await harness().newPage();
    await page.goto(`${harness().consoleUrl}/prompts`);
    await enterApiKey(page, harness().adminKey);
    await page.getByRole('searchbox', { name: 'Search' }).fill(word);
    await page.getByLabel('Status').selectOption('succeeded');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.getByRole('list', { name: 'Prompts' }).getByRole('listitem');
    await page.getByText('1 prompt shown.').waitFor();
    expect(await results.count()).toBe(1);
    expect(page.url()).toContain(`q=${word}`);
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No prompts match.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await results.getByRole('link').first().click();

    await page.getByRole('link', { name: 'Open the conversation' }).click();
    await page.getByRole('list', { name: 'Turns' }).waitFor();
    await page.getByLabel('Prompt', { exact: true }).fill('And what does it eat?');
    await page.getByRole('button', { name: 'Send next turn' }).click();
    const second = page.locator('.turn').nth(1);
    // Once ended, the new turn is shown as stored.
    await second.locator('.answer-text[data-phase="succeeded"]').waitFor({ timeout: 30_000 });
    const conversation = await harness().getJson<ConversationBody>(
      `/v1/conversations/${first.conversation_id}`,
    );
    expect(conversation.turns).toHaveLength(2);
    expect(await second.locator('.answer-text').textContent()).toBe(conversation.turns[1]?.text);
    expect(JSON.parse(conversation.turns[1]?.text ?? '{}')).toMatchObject({
      prompt: 'And what does it eat?',
      previous: [{ prompt: `Tell me about the ${word}.`, response: first.text }],
    });
    await saveScreenshot(page, 'conversation-continued');
  });

  it('starts a batch from a JSONL file, retries its failed item, and cancels another', async () => {
    const page = await harness().newPage();
    await page.goto(`${harness().consoleUrl}/batches`);
    await enterApiKey(page, harness().adminKey);
    await page.getByRole('heading', { name: 'New batch' }).waitFor();
    const jsonl = [
      { custom_id: 'fine', prompt: 'one' },
      { custom_id: 'broken', prompt: 'two', options: { fail: 'fatal' } },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    await page.locator('.new-batch input[type=file]').setInputFiles({
      name: 'items.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(jsonl),
    });
    await page.getByText('items.jsonl: a JSONL file of items').waitFor();
    await page.getByLabel('Model', { exact: true }).selectOption('echo');
    await page.getByRole('button', { name: 'Start the batch' }).click();
    const batchPage = page.locator('.batch-page');
    await batchPage.locator('[data-count="failed"]').filter({ hasText: '1' }).waitFor();
    await page
      .locator('.batch-page[data-status="completed"], .batch-page[data-status="failed"]')
      .waitFor();
    const batchId = new URL(page.url()).pathname.split('/').at(-1) as string;
    const broken = async () =>
      (
        await harness().getJson<{ data: PromptBody[] }>(
          `/v1/prompts?batch_id=${batchId}&status=failed`,
        )
      ).data[0];
    const before = await broken();

    await page.getByRole('button', { name: 'Retry failed items' }).click();
    // The retry is accepted, then the batch ends again: the failed item ran a second time
    // (and failed again, on purpose).
    await page.getByRole('status').filter({ hasText: 'Failed items queued again.' }).waitFor();
    await page
      .locator('.batch-page[data-status="completed"], .batch-page[data-status="failed"]')
      .waitFor();
    const after = await broken();
    expect(after?.id).toBe(before?.id);
    expect(after?.completed_at).not.toBe(before?.completed_at);
    expect(await page.locator('[data-count="succeeded"]').textContent()).toBe('1');
    expect(await page.locator('[data-count="failed"]').textContent()).toBe('1');
    await saveScreenshot(page, 'batch-retried');

    // A slow batch, cancelled from its page.
    await page.getByRole('link', { name: 'Batches', exact: true }).click();
    await page.getByRole('heading', { name: 'New batch' }).waitFor();
    await page.locator('.new-batch input[type=file]').setInputFiles({
      name: 'slow.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(
        Array.from({ length: 5 }, (_, index) => JSON.stringify({ prompt: `slow ${index}` })).join(
          '\n',
        ),
      ),
    });
    await page.getByLabel('Model', { exact: true }).selectOption('echo');
    await setOption(page, 'delay_ms', '1000');
    await setOption(page, 'chunk_size', '4');
    await page.getByRole('button', { name: 'Start the batch' }).click();
    await page.locator('.batch-page').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Cancelling the batch.' }).waitFor();
    await page.locator('.batch-page[data-status="cancelled"]').waitFor({ timeout: 30_000 });
    const cancelled = await harness().getJson<BatchBody>(
      `/v1/batches/${new URL(page.url()).pathname.split('/').at(-1)}`,
    );
    expect(cancelled.status).toBe('cancelled');
    await saveScreenshot(page, 'batch-cancelled');
  });

  it('starts the prompt and batch forms on the default model, and shows one without its key disabled with the reason', async () => {
    const page = await harness().newPage();
    await page.goto(harness().consoleUrl);
    await enterApiKey(page, harness().adminKey);
    for (const form of ['New prompt', 'New batch']) {
      if (form === 'New batch')
        await page.getByRole('link', { name: 'Batches', exact: true }).click();
      const picker = page.getByRole('form', { name: form }).getByLabel('Model', { exact: true });
      // Unpicked: the first model listed is the OpenAI one, the default is echo.
      expect(await picker.inputValue(), form).toBe('echo');
      const option = picker.locator('option').first();
      expect(await option.getAttribute('value'), form).toBe(unavailableModel);
      expect(await option.isDisabled(), form).toBe(true);
      expect(await option.textContent(), form).toBe(`${unavailableModel} — unavailable`);
      // The hint the picker is described by says why, and where the key goes.
      const hint = await picker.evaluate(
        (select) =>
          document.getElementById(select.getAttribute('aria-describedby') ?? '')?.textContent,
      );
      expect(hint, form).toContain(`Unavailable: ${unavailableModel} (no openai key`);
      expect(hint, form).toContain('OPENAI_API_KEY');
    }
  });

  it('skips to the content from the keyboard, keeping the page as it is', async () => {
    const page = await harness().newPage({ width: 1280, height: 1_600 });
    await openPlayground(page);
    const prompt = page.getByLabel('Prompt', { exact: true });
    await prompt.fill('Still here after the skip.');
    const address = page.url();
    const historyLength = await page.evaluate(() => history.length);
    // Gone if the page were rendered again.
    await page.evaluate(() => {
      (document.querySelector('.playground') as HTMLElement).dataset.marked = 'yes';
    });
    // A click on the page's background, below its content, starts Tab from the top of the
    // page, where the skip link is the first stop.
    const background = { x: 5, y: 1_590 };
    expect(
      await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.tagName, background),
    ).toMatch(/^(HTML|BODY)$/);
    await page.mouse.click(background.x, background.y);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    expect(page.url()).toBe(address);
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
    expect(await prompt.inputValue()).toBe('Still here after the skip.');
    expect(await page.locator('.playground[data-marked="yes"]').count()).toBe(1);
  });

  it('shows a chain’s tool calls and results folded between its text, live and as stored', async () => {
    // Slow chunks keep the chain running while the page opens, so it is followed live first.
    const accepted = await postJson<PromptAccepted>('/v1/prompts', {
      model: 'echo',
      prompt: JSON.stringify({ tool_calls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }),
      tools: ['add'],
      options: { delay_ms: 400, chunk_size: 40 },
    });
    const page = await harness().newPage();
    await page.goto(`${harness().consoleUrl}/prompts/${accepted.id}`);
    await enterApiKey(page, harness().adminKey);
    for (const load of ['live', 'stored']) {
      const answer = page.locator('.answer[data-phase="succeeded"]');
      await answer.waitFor({ timeout: 30_000 });
      const parts = answer.locator('.answer-parts > :not([hidden])');
      expect(await parts.evaluateAll((nodes) => nodes.map((node) => node.className)), load).toEqual(
        ['tool-run tool-call', 'tool-run tool-result', 'answer-text'],
      );
      const call = answer.locator('.tool-call');
      expect(await call.locator('summary').textContent()).toBe('Tool call add {"a":1,"b":2}');
      expect(await call.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(false);
      await call.locator('summary').click();
      expect(await call.getByLabel('Arguments of add').textContent()).toBe(
        '{\n  "a": 1,\n  "b": 2\n}',
      );
      expect(await answer.locator('.tool-result summary').textContent()).toBe('Tool result add 3');
      const text = JSON.parse((await answer.locator('.answer-text').last().textContent()) ?? '');
      expect(text.tool_results).toEqual([expect.objectContaining({ name: 'add', output: '3' })]);
      if (load === 'live') await page.reload();
    }
  });

  it('shows spend per day as bars and per model as a table, for the days chosen', async () => {
    const answers: PromptBody[] = [];
    for (const prompt of ['one answer to count', 'and another']) {
      answers.push(await postJson<PromptBody>('/v1/prompts?wait=true', { model: 'echo', prompt }));
    }
    const last = answers.at(-1) as PromptBody;
    expect(last.cost_usd).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const report = await harness().getJson<UsageReportBody>('/v1/usage?group_by=model');
    const echo = report.data.find((group) => group.model === 'echo');
    expect(echo?.cost_usd).toBeGreaterThan(0);
    const page = await harness().newPage();
    await page.goto(`${harness().consoleUrl}/usage`);
    await enterApiKey(page, harness().adminKey);
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Usage' }).getAttribute('aria-current')).toBe(
      'page',
    );
    expect(await page.locator('.usage-total').textContent()).toContain(
      `${formatUsd(report.total.cost_usd)} for ${report.total.requests} answers`,
    );
    // A bar per day of the last 30, today's as high as the most spent on a day.
    const bars = page.locator('svg.spend-chart rect.spend-bar');
    expect(await bars.count()).toBe(30);
    const todayBar = page.locator(`rect.spend-bar[data-day="${today}"]`);
    expect(Number(await todayBar.getAttribute('data-cost'))).toBeCloseTo(report.total.cost_usd, 9);
    expect(await todayBar.locator('title').textContent()).toBe(
      `${today}: ${formatUsd(report.total.cost_usd)}`,
    );
    expect(await page.getByRole('img').getAttribute('aria-labelledby')).toBeTruthy();
    const echoRow = page.getByRole('row', { name: /^echo/ });
    expect(await echoRow.locator('td').allTextContents()).toEqual([
      String(echo?.requests),
      (echo?.input_tokens ?? 0).toLocaleString('en-US'),
      (echo?.output_tokens ?? 0).toLocaleString('en-US'),
      formatUsd(echo?.cost_usd ?? 0),
    ]);
    await saveScreenshot(page, 'usage');
    // Days without answers: flat bars, and a table that says so.
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-07');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('No answers in these days.').waitFor();
    expect(new URL(page.url()).search).toBe('?from=2020-01-01&to=2020-01-07');
    expect(await bars.count()).toBe(7);
    expect(await page.locator('figcaption').textContent()).toContain('No spend over the 7 days');
    // A prompt's page shows what it cost.
    await page.goto(`${harness().consoleUrl}/prompts/${last.id}`);
    const costFact = page.locator('dt', { hasText: /^Cost$/ }).locator('+ dd');
    expect(await costFact.textContent()).toBe(formatUsd(last.cost_usd ?? 0));
    await page.goto(`${harness().consoleUrl}/usage?from=2020-01-01&to=2020-01-07`);
    // A range the wrong way round is refused before asking the server.
    await page.getByLabel('From', { exact: true }).fill('2020-02-01');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.getByRole('alert').first().textContent()).toContain(
      'The first day must be on or before the last.',
    );
    // Centuries asked in the address: the last 366 days are drawn, and the page says so.
    await page.goto(`${harness().consoleUrl}/usage?from=1900-01-01&to=2100-12-31`);
    await page.locator('.usage-narrowed').waitFor();
    expect(await page.locator('.usage-narrowed').textContent()).toBe(
      'The page shows at most 366 days at a time: of 1900-01-01 to 2100-12-31, the last 366, from 2099-12-31.',
    );
    expect(await bars.count()).toBe(366);
    // And in the form, refused before asking the server.
    await page.getByLabel('From', { exact: true }).fill('2000-01-01');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.getByRole('alert').first().textContent()).toContain(
      'Choose at most 366 days.',
    );
  });

  it('says a malformed address has no page', async () => {
    const page = await harness().newPage();
    await page.goto(`${harness().consoleUrl}/prompts/%E0`);
    await page.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
    expect(await page.locator('main').textContent()).toContain('the address is malformed');
  });

  it('shows Forget key only while the tab holds a key, and forgets it', async () => {
    const page = await harness().newPage();
    await page.goto(harness().consoleUrl);
    const forget = page.locator('.forget-key');
    // No key yet (as in laptop mode, where none is ever asked for): nothing to forget.
    await page.getByRole('dialog', { name: 'API key needed' }).waitFor();
    expect(await forget.isHidden()).toBe(true);
    await enterApiKey(page, harness().adminKey);
    await forget.waitFor({ state: 'visible' });
    await forget.click();
    await page.getByRole('dialog', { name: 'API key needed' }).waitFor();
    expect(await forget.isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('llmq.apiKey'))).toBeNull();
  });

  it('lists the recent prompts beside the playground, a sent one on top linking to its page', async () => {
    const earlier = await postJson<PromptAccepted>('/v1/prompts', {
      model: 'echo',
      prompt: 'An earlier prompt for the recent list',
    });
    const page = await harness().newPage();
    await openPlayground(page);
    const recent = page.getByRole('list', { name: 'Recent prompts' });
    await recent.locator(`a[href="/prompts/${earlier.id}"]`).waitFor();
    await page.getByLabel('Prompt', { exact: true }).fill('A prompt sent from the playground');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const { id } = await finishedAnswer(page);
    const sent = recent.locator('li').first();
    await sent.locator(`a[href="/prompts/${id}"][aria-current="true"]`).waitFor();
    await sent.locator('.status-succeeded').waitFor();
    expect(await sent.locator('a').textContent()).toBe('A prompt sent from the playground');
    // The list sits in the right half, beside the composer.
    const [composerBox, recentBox] = await Promise.all([
      page.locator('.composer').boundingBox(),
      recent.boundingBox(),
    ]);
    expect(recentBox?.x).toBeGreaterThan((composerBox?.x ?? 0) + (composerBox?.width ?? 0));
    await saveScreenshot(page, 'playground-recent-prompts');
    await sent.locator('a').click();
    await page.waitForURL(`**/prompts/${id}`);
  });

  it('keeps streaming the newest answer after many prompts in a row', async () => {
    const page = await harness().newPage();
    await openPlayground(page);
    await setOption(page, 'chunk_size', '4');
    await setOption(page, 'delay_ms', '1000');
    const sent: string[] = [];
    try {
      // More prompts than Chromium opens connections to one origin (6): streams of answers no
      // longer shown would hold them all, and the next prompt could not even be sent.
      for (let index = 1; index <= 8; index++) {
        await page.getByLabel('Prompt', { exact: true }).fill(`Slow prompt ${index}`);
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        const previous = sent.at(-1);
        const answer = page.locator(
          `.answer[data-connection="open"]${previous ? `:not([data-prompt-id="${previous}"])` : ''}`,
        );
        await answer.waitFor();
        sent.push((await answer.getAttribute('data-prompt-id')) as string);
      }
      // The newest answer's stream is open and has brought its first event.
      const newest = page.locator(`.answer[data-prompt-id="${sent.at(-1)}"]`);
      await newest
        .locator('.phase')
        .filter({ hasText: /^(Queued|Streaming)/ })
        .waitFor();
      expect(await page.locator('.answer').count()).toBe(1);
      await saveScreenshot(page, 'many-prompts');
    } finally {
      // The worker has five slots: free them for the next tests.
      for (const id of sent) await postJson(`/v1/prompts/${id}/cancel`).catch(() => undefined);
    }
  });

  it('fits a 375 px wide screen, and fetches only image attachments up front', async () => {
    const page = await harness().newPage({ width: 375, height: 800 });
    const contentRequests: string[] = [];
    page.on('request', (request) => {
      if (/\/v1\/attachments\/[^/]+\/content$/.test(new URL(request.url()).pathname)) {
        contentRequests.push(request.url());
      }
    });
    await openPlayground(page);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    const sound = Buffer.from(makeWav());
    await page.locator('.composer input[type=file]').setInputFiles([
      { name: 'blue.png', mimeType: 'image/png', buffer: Buffer.from(makePng(0, 0, 255, 8)) },
      { name: 'beep.wav', mimeType: 'audio/wav', buffer: sound },
    ]);
    await page.locator('.attachment-list li[data-state="uploaded"]').nth(1).waitFor();
    await page.getByLabel('Prompt', { exact: true }).fill('A picture and a sound.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await finishedAnswer(page);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await saveScreenshot(page, 'playground-375px');

    await page.getByRole('link', { name: 'Prompt details' }).click();
    await page.getByRole('img', { name: /Attachment 1: image\/png/ }).waitFor();
    await page.waitForFunction(
      () => (document.querySelector('img.preview') as HTMLImageElement | null)?.naturalWidth === 8,
    );
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await saveScreenshot(page, 'prompt-page-375px');
    expect(contentRequests).toHaveLength(1);
    // The sound is fetched when asked for.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download attachment 2' }).click(),
    ]);
    expect(contentRequests).toHaveLength(2);
    expect(await readFile(await download.path())).toEqual(sound);
  });
});
