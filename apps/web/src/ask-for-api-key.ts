import { element, uniqueId } from './element.ts';

let pending: Promise<string> | undefined;

/**
 * Ask for an API key in a modal dialog. Requests refused at the same moment share one dialog.
 * `reason` says why (first visit, or the key was refused).
 */
export function askForApiKey(reason: string): Promise<string> {
  pending ??= showDialog(reason).finally(() => {
    pending = undefined;
  });
  return pending;
}

function showDialog(reason: string): Promise<string> {
  return new Promise((resolve) => {
    const inputId = uniqueId('api-key');
    const hintId = uniqueId('api-key-hint');
    const titleId = uniqueId('api-key-title');
    const input = element('input', {
      id: inputId,
      name: 'api-key',
      type: 'password',
      autocomplete: 'off',
      required: true,
      'aria-describedby': hintId,
    });
    const form = element(
      'form',
      { method: 'dialog' },
      element('h2', { id: titleId }, 'API key needed'),
      element('p', { id: hintId }, reason, ' The key is kept for this browser tab only.'),
      element('label', { for: inputId }, 'API key'),
      input,
      element('div', { class: 'actions' }, element('button', { type: 'submit' }, 'Use this key')),
    );
    const dialog = element('dialog', { class: 'key-dialog', 'aria-labelledby': titleId }, form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      dialog.close();
      dialog.remove();
      resolve(key);
    });
    // A key is required to go on: Escape does not dismiss the dialog.
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
