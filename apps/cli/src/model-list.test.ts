import type { ModelBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { formatModelList } from './model-list.ts';

const echo = {
  id: 'echo',
  aliases: [],
  can_stream: true,
  supports_schema: true,
  attachment_types: ['image/png'],
  options: { properties: { delay_ms: { type: 'integer', description: 'Wait.' } } },
  needs_key: null,
  key_env_var: null,
  available: true,
  unavailable_reason: null,
  default: true,
} as ModelBody;
const openai = {
  ...echo,
  id: 'gpt-4o-mini',
  aliases: ['4o-mini'],
  key_env_var: 'OPENAI_API_KEY',
  available: false,
  unavailable_reason: 'It needs an OpenAI key on the server: set OPENAI_API_KEY there.',
  default: false,
} as ModelBody;

describe('formatModelList', () => {
  it('marks the default and the models that cannot run, saying why, and names the default last', () => {
    expect(
      formatModelList([echo, openai], {
        defaultModel: echo,
        userDefault: undefined,
        details: false,
      }),
    ).toBe(
      [
        'echo (default)',
        'gpt-4o-mini (aliases: 4o-mini) (unavailable)',
        '  It needs an OpenAI key on the server: set OPENAI_API_KEY there.',
        'Default: echo, the server’s',
        '',
      ].join('\n'),
    );
  });

  it('names the user’s default, even one the server does not have', () => {
    expect(
      formatModelList([echo], { defaultModel: undefined, userDefault: 'gone', details: false }),
    ).toBe('echo\nDefault: gone (not on this server), yours (llmq models default)\n');
  });

  it('shows options, attachment types, features and keys with --options', () => {
    const text = formatModelList([openai], {
      defaultModel: undefined,
      userDefault: undefined,
      details: true,
    });
    expect(text).toContain('  Options:\n    delay_ms: integer\n      Wait.\n');
    expect(text).toContain('  Attachment types:\n    image/png\n');
    expect(text).toContain('  Features:\n  - streaming\n  - schemas\n');
    expect(text).toContain('  Keys:\n    OPENAI_API_KEY\n');
  });
});
