import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseEnvironment } from '@llmq/contracts';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value : undefined));

const schema = z.object({
  LLMQ_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  LLMQ_API_KEY: z.string().min(1).optional(),
  /** The user's own settings (default_model.txt), as llm keeps them in its user folder. */
  LLMQ_CONFIG_DIR: optionalText,
  XDG_CONFIG_HOME: optionalText,
  /** The editor `!edit` opens in `llmq chat`: VISUAL first, as shells and git choose. */
  VISUAL: optionalText,
  EDITOR: optionalText,
});

export interface CliEnvironment {
  readonly LLMQ_URL: string;
  readonly LLMQ_API_KEY: string | undefined;
  /** `$LLMQ_CONFIG_DIR`, else `${XDG_CONFIG_HOME:-~/.config}/llmq`. */
  readonly configDirectory: string;
  /** `$VISUAL`, else `$EDITOR`, else none (`!edit` then says which variable to set). */
  readonly editor: string | undefined;
}

/** Where the server is and the key to use (unless `--url` / `--key` say otherwise), and the user's settings. */
export function readEnvironment(): CliEnvironment {
  const parsed = parseEnvironment(schema, process.env);
  return {
    LLMQ_URL: parsed.LLMQ_URL,
    LLMQ_API_KEY: parsed.LLMQ_API_KEY,
    configDirectory:
      parsed.LLMQ_CONFIG_DIR ?? join(parsed.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'llmq'),
    editor: parsed.VISUAL ?? parsed.EDITOR,
  };
}
