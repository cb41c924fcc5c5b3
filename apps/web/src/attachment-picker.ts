import type { UploadedAttachment } from '@llmq/contracts';
import { announce } from './announce.ts';
import { element } from './element.ts';
import { createFileDropZone } from './file-drop-zone.ts';
import { formatBytes } from './format.ts';
import { uploadFiles } from './upload-files.ts';

interface PickedFile {
  readonly file: File;
  readonly row: HTMLLIElement;
  upload: Promise<UploadedAttachment | undefined>;
}

export interface PickedAttachments {
  /** The uploaded attachments, in the order picked. */
  readonly uploaded: UploadedAttachment[];
  /** Take these files, and only these, off the list: files picked meanwhile stay. */
  remove(): void;
}

export interface AttachmentPicker {
  readonly element: HTMLElement;
  /** The files picked so far, once each of their uploads is over. */
  attachments(): Promise<PickedAttachments>;
}

/** Files attached to a prompt: uploaded as soon as picked or dropped, with progress shown. */
export function createAttachmentPicker(): AttachmentPicker {
  const picked: PickedFile[] = [];
  const list = element('ul', { class: 'attachment-list', 'aria-label': 'Attached files' });
  const zone = createFileDropZone({
    label: 'Attach files',
    hint: 'Pick files, or drop them here: images, audio, PDF, as the model accepts.',
    multiple: true,
    onFiles: (files) => attach(files),
  });

  function attach(files: File[]) {
    const progress = element('progress', { max: 100, value: 0 });
    const status = element('span', { class: 'upload-status' }, 'Uploading…');
    const rows = files.map((file) =>
      element(
        'li',
        { 'data-state': 'uploading' },
        element('span', { class: 'file-name' }, file.name),
        element(
          'span',
          { class: 'muted' },
          ` ${file.type || 'unknown type'}, ${formatBytes(file.size)}`,
        ),
      ),
    );
    const label = `Uploading ${files.length === 1 ? files[0]?.name : `${files.length} files`}`;
    progress.setAttribute('aria-label', label);
    const progressRow = element('li', { class: 'upload-progress' }, progress, status);
    list.append(...rows, progressRow);
    const upload = uploadFiles(files, ({ loaded, total }) => {
      const percent = total === 0 ? 100 : Math.round((loaded / total) * 100);
      progress.value = percent;
      status.textContent = `${percent}%`;
    }).then(
      (answers) => {
        progressRow.remove();
        announce(`${files.length === 1 ? 'File' : `${files.length} files`} uploaded`);
        return answers;
      },
      (error: unknown) => {
        status.textContent = `Upload failed: ${(error as Error).message}`;
        status.setAttribute('role', 'alert');
        return files.map(() => undefined);
      },
    );
    files.forEach((file, index) => {
      const row = rows[index] as HTMLLIElement;
      const entry: PickedFile = {
        file,
        row,
        upload: upload.then((answers) => {
          const answer = answers[index];
          row.dataset.state = answer ? 'uploaded' : 'failed';
          return answer;
        }),
      };
      const remove = element(
        'button',
        { type: 'button', class: 'link', 'aria-label': `Remove ${file.name}` },
        'Remove',
      );
      remove.addEventListener('click', () => {
        picked.splice(picked.indexOf(entry), 1);
        row.remove();
        announce(`${file.name} removed`);
      });
      row.append(' ', remove);
      picked.push(entry);
    });
  }

  return {
    element: element('div', { class: 'attachments' }, zone, list),
    attachments: async () => {
      const taken = [...picked];
      const answers = await Promise.all(taken.map((entry) => entry.upload));
      const failed = taken.filter((_, index) => !answers[index]);
      if (failed.length > 0) {
        throw new Error(`Not uploaded: ${failed.map((entry) => entry.file.name).join(', ')}`);
      }
      return {
        uploaded: answers as UploadedAttachment[],
        remove: () => {
          for (const entry of taken) {
            const index = picked.indexOf(entry);
            if (index !== -1) picked.splice(index, 1);
            entry.row.remove();
          }
        },
      };
    },
  };
}
