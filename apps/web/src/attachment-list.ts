import type { AttachmentBody } from '@llmq/contracts';
import { apiResponse } from './api-client.ts';
import { element } from './element.ts';
import { formatBytes } from './format.ts';

/**
 * Attachments with a preview of each image. Content is fetched with the key (an <img src> or a
 * plain link would send none), so only images are fetched up front: the rest can be large and
 * are fetched when asked for.
 */
export function attachmentList(
  attachments: readonly AttachmentBody[],
  signal: AbortSignal,
): HTMLElement {
  const urls: string[] = [];
  signal.addEventListener('abort', () => {
    for (const url of urls) URL.revokeObjectURL(url);
  });
  const contentUrl = async (attachment: AttachmentBody) => {
    const response = await apiResponse(`/v1/attachments/${attachment.id}/content`, { signal });
    const url = URL.createObjectURL(await response.blob());
    urls.push(url);
    return url;
  };
  return element(
    'ul',
    { class: 'attachment-previews' },
    attachments.map((attachment, index) => {
      const name = `Attachment ${index + 1}: ${attachment.type}, ${formatBytes(attachment.size)}`;
      const fileName = `attachment-${index + 1}`;
      const item = element('li', {}, element('span', {}, name));
      if (attachment.type.startsWith('image/')) {
        void contentUrl(attachment).then(
          (url) => {
            item.prepend(element('img', { src: url, alt: name, class: 'preview' }));
            item.append(' ', element('a', { href: url, download: fileName }, 'Download'));
          },
          () => {
            if (!signal.aborted) {
              item.append(element('span', { class: 'field-error' }, ' (unavailable)'));
            }
          },
        );
        return item;
      }
      const download = element(
        'button',
        { type: 'button', class: 'link', 'aria-label': `Download attachment ${index + 1}` },
        'Download',
      );
      const failure = element('span', { class: 'field-error', role: 'alert' });
      let url: string | undefined;
      download.addEventListener('click', async () => {
        failure.textContent = '';
        download.disabled = true;
        try {
          url ??= await contentUrl(attachment);
          const link = element('a', { href: url, download: fileName, hidden: true });
          document.body.append(link);
          link.click();
          link.remove();
        } catch (error) {
          if (!signal.aborted) failure.textContent = ` ${(error as Error).message}`;
        } finally {
          download.disabled = false;
        }
      });
      item.append(' ', download, failure);
      return item;
    }),
  );
}
