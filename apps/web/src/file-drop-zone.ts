import { element, uniqueId } from './element.ts';

export interface FileDropZoneOptions {
  /** What the files are for, read as the zone's name. */
  readonly label: string;
  readonly hint: string;
  readonly multiple: boolean;
  readonly accept?: string;
  onFiles(files: File[]): void;
}

/**
 * A place to drop files, with a file picker for the keyboard and for screen readers (a drop
 * needs a pointer). The input stays in the focus order, only visually hidden.
 */
export function createFileDropZone(options: FileDropZoneOptions): HTMLElement {
  const inputId = uniqueId('files');
  const hintId = uniqueId('files-hint');
  const input = element('input', {
    id: inputId,
    type: 'file',
    class: 'visually-hidden',
    multiple: options.multiple,
    accept: options.accept,
    'aria-describedby': hintId,
  });
  input.addEventListener('change', () => {
    if (input.files && input.files.length > 0) options.onFiles([...input.files]);
    input.value = '';
  });
  const zone = element(
    'div',
    { class: 'drop-zone', role: 'group', 'aria-label': options.label },
    element('label', { for: inputId, class: 'button secondary' }, options.label),
    input,
    element('p', { id: hintId, class: 'hint' }, options.hint),
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) options.onFiles(options.multiple ? files : files.slice(0, 1));
  });
  return zone;
}
