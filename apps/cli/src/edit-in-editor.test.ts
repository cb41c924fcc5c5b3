import { describe, expect, it } from 'vitest';
import { editInEditor } from './edit-in-editor.ts';

describe('editInEditor', () => {
  it('gives what the editor saved', async () => {
    expect(await editInEditor(`sh -c 'printf "saved" > "$0"'`)).toBe('saved');
  });

  it('names the signal that stopped the editor, which leaves no exit status', async () => {
    // The shell that runs the editor stops itself; `#` leaves out the file name appended after.
    await expect(editInEditor('kill -INT $$ #')).rejects.toThrow(
      'the editor (kill -INT $$ #) was stopped by SIGINT',
    );
  });

  it('gives the exit status of an editor that failed', async () => {
    await expect(editInEditor('exit 3 #')).rejects.toThrow('the editor (exit 3 #) exited with 3');
  });
});
