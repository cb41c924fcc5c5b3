import type { BatchBody, BatchProgressEvent } from '@llmq/contracts';
import { announce } from './announce.ts';
import { api, apiResponse } from './api-client.ts';
import { batchDataTable } from './batch-data-table.ts';
import { BatchRate } from './batch-rate.ts';
import { element } from './element.ts';
import { followStream } from './follow-stream.ts';
import { formatTime } from './format.ts';
import { linkedAbortController } from './linked-abort-controller.ts';
import type { PageRenderer } from './router.ts';

const endedStatuses = new Set(['completed', 'cancelled', 'failed']);

/** A batch live: a progress bar with counts and rate, results to download, cancel and retry. */
export const batchPage: PageRenderer = async ([id = ''], signal) => {
  let batch = await api<BatchBody>(`/v1/batches/${encodeURIComponent(id)}`, { signal });
  const rate = new BatchRate();
  const status = element('span', { class: 'status' });
  const bar = element('progress', { max: 1, value: 0, 'aria-labelledby': 'batch-progress-label' });
  const label = element('span', { id: 'batch-progress-label' });
  const speed = element('span', { class: 'rate muted' });
  const countList = element('dl', { class: 'facts counts' });
  const error = element('p', { class: 'field-error', role: 'alert' });
  const notice = element('p', { role: 'status', class: 'notice' });
  const download = element('button', { type: 'button' }, 'Download results');
  const cancel = element('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const retry = element('button', { type: 'button', class: 'secondary' }, 'Retry failed items');
  const section = element(
    'section',
    { class: 'batch-page', 'data-status': batch.status },
    element('h1', {}, 'Batch'),
    element(
      'p',
      { class: 'muted' },
      element('span', { class: 'mono' }, batch.id),
      ` · ${batch.model} · created ${formatTime(batch.created_at)}`,
    ),
    element('p', {}, 'Status: ', status),
    element('div', { class: 'progress' }, label, bar, speed),
    countList,
    element('div', { class: 'actions' }, download, cancel, retry),
    notice,
    error,
  );
  const dataSlot = element('div', { class: 'batch-data-slot' });
  section.append(dataSlot);
  /** A batch with a schema shows its answers as data once it has ended (and again after a retry). */
  const showData = (status: string) => {
    if (!batch.schema_id || !endedStatuses.has(status)) return;
    batchDataTable(batch, signal).then(
      (table) => dataSlot.replaceChildren(table),
      (failure: unknown) => {
        if (!signal.aborted) error.textContent = (failure as Error).message;
      },
    );
  };

  const render = (current: Pick<BatchBody, 'status' | 'counts'>, at: number) => {
    const { counts } = current;
    const finished = counts.succeeded + counts.failed + counts.cancelled;
    const percent = counts.total === 0 ? 100 : Math.floor((finished / counts.total) * 100);
    section.dataset.status = current.status;
    status.textContent = current.status;
    bar.max = Math.max(counts.total, 1);
    bar.value = finished;
    bar.setAttribute('aria-valuetext', `${percent}%, ${finished} of ${counts.total} items done`);
    label.textContent = `${percent}% · ${finished} of ${counts.total} done`;
    label.dataset.percent = String(percent);
    const perSecond = rate.add(at, finished);
    const ended = endedStatuses.has(current.status);
    // An ended batch keeps the last rate measured while it ran.
    if (perSecond !== undefined && !(ended && perSecond === 0)) {
      speed.textContent = `${perSecond.toFixed(1)} items/s`;
    }
    countList.replaceChildren(
      ...(['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const).flatMap((name) => [
        element('dt', {}, name),
        element('dd', { 'data-count': name }, String(counts[name])),
      ]),
    );
    cancel.hidden = ended || current.status === 'cancelling';
    retry.hidden = !(ended && counts.failed > 0);
  };

  let following: AbortController | undefined;
  const follow = () => {
    following?.abort();
    const controller = linkedAbortController(signal);
    following = controller;
    rate.reset();
    followStream({
      resource: `batches/${batch.id}`,
      events: ['progress', 'done'],
      finalEvents: ['done'],
      signal: controller.signal,
      onEvent: (type, data) => {
        const event = data as BatchProgressEvent;
        render(event, performance.now());
        if (type === 'done') {
          announce(`The batch has ended: ${event.status}`);
          showData(event.status);
        }
      },
      onFailure: (failure) => {
        error.textContent = failure.message;
      },
    });
  };

  download.addEventListener('click', async () => {
    error.textContent = '';
    try {
      // Fetched with the key, then saved: a plain link could not send it.
      const response = await apiResponse(`/v1/batches/${batch.id}/results`);
      const url = URL.createObjectURL(await response.blob());
      const link = element('a', {
        href: url,
        download: `batch-${batch.id}-results.jsonl`,
        hidden: true,
      });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (failure) {
      error.textContent = (failure as Error).message;
    }
  });
  const act = async (action: 'cancel' | 'retry') => {
    error.textContent = '';
    try {
      batch = await api<BatchBody>(`/v1/batches/${batch.id}/${action}`, { method: 'POST' });
      render(batch, performance.now());
      notice.textContent =
        action === 'cancel' ? 'Cancelling the batch.' : 'Failed items queued again.';
      if (!endedStatuses.has(batch.status)) follow();
    } catch (failure) {
      error.textContent = (failure as Error).message;
    }
  };
  cancel.addEventListener('click', () => void act('cancel'));
  retry.addEventListener('click', () => void act('retry'));

  render(batch, performance.now());
  follow();
  return { title: `Batch ${batch.id}`, content: section };
};
