import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Opens the user's editor on a temporary file and gives what they saved. The editor is run by
 * the shell, as git does, so that `$EDITOR` may carry arguments (`code --wait`).
 */
export async function editInEditor(editor: string | undefined, initial = ''): Promise<string> {
  if (!editor) throw new Error('!edit needs an editor: set $VISUAL or $EDITOR (e.g. EDITOR=nano)');
  const folder = await mkdtemp(join(tmpdir(), 'llmq-edit-'));
  const file = join(folder, 'prompt.txt');
  try {
    await writeFile(file, initial);
    const result = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
    if (result.error) throw result.error;
    // A signal leaves no status (null): name the signal, as a shell would.
    if (result.signal) throw new Error(`the editor (${editor}) was stopped by ${result.signal}`);
    if (result.status !== 0) throw new Error(`the editor (${editor}) exited with ${result.status}`);
    return await readFile(file, 'utf8');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
