import type { ModelBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { formatModelList } from './model-list.ts';

const echo = {
  id: 'echo',
  aliases: [],
  can_stream: true,
  supports_schema: true,
  supports_tools: false,
  attachment_types: ['image/png'],
  options: { properties: { delay_ms: { type: 'integer', description: 'Wait.' } } },
  needs_key: null,
  key_env_var: null,
  provider: null,
  endpoint: null,
  api: null,
  fallbacks: [],
  available: true,
  unavailable_reason: null,
  default: true,
} as ModelBody;
const openai = {
  ...echo,
  id: 'gpt-4o-mini',
  aliases: ['4o-mini'],
  key_env_var: 'OPENAI_API_KEY',
  supports_tools: true,
  provider: 'openai',
  endpoint: 'https://api.openai.com/v1',
  api: 'responses',
  fallbacks: ['qwen', 'echo'],
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

  it('shows options, attachment types, features, keys, server and fallbacks with --options', () => {
    const text = formatModelList([openai], {
      defaultModel: undefined,
      userDefault: undefined,
      details: true,
    });
    expect(text).toContain('  Options:\n    delay_ms: integer\n      Wait.\n');
    expect(text).toContain('  Attachment types:\n    image/png\n');
    expect(text).toContain('  Features:\n  - streaming\n  - schemas\n  - tools\n');
    expect(text).toContain('  Keys:\n    OPENAI_API_KEY\n');
    expect(text).toContain(
      '  Served by:\n    openai at https://api.openai.com/v1 (responses API)\n  Fallbacks:\n    qwen, echo\n',
    );
    // A model served in the process says nothing of where.
    const local = formatModelList([echo], {
      defaultModel: undefined,
      userDefault: undefined,
      details: true,
    });
    expect(local).not.toContain('Served by');
    expect(local).not.toContain('Fallbacks');
  });
});
