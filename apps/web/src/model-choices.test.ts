import type { ModelBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { findModel, modelChoices, preselectedModel, unavailableHint } from './model-choices.ts';

const missingKey =
  'no openai key is configured on the server: set OPENAI_API_KEY where the server runs';

/** A model as GET /v1/models gives it; only what the picker reads varies. */
function model(id: string, fields: Partial<ModelBody> = {}): ModelBody {
  return {
    id,
    aliases: [],
    can_stream: true,
    supports_schema: false,
    supports_tools: false,
    attachment_types: [],
    options: {},
    needs_key: null,
    key_env_var: null,
    provider: null,
    endpoint: null,
    api: null,
    fallbacks: [],
    available: true,
    unavailable_reason: null,
    default: false,
    ...fields,
  };
}

function withoutKey(id: string, fields: Partial<ModelBody> = {}): ModelBody {
  return model(id, {
    needs_key: 'openai',
    key_env_var: 'OPENAI_API_KEY',
    available: false,
    unavailable_reason: missingKey,
    ...fields,
  });
}

describe('preselectedModel', () => {
  it('starts on the default model, not the first', () => {
    const models = [model('alpha'), model('echo', { default: true }), model('omega')];
    expect(preselectedModel(models)?.id).toBe('echo');
  });

  it('starts on the first model that can run when the default cannot', () => {
    const models = [withoutKey('gpt-4o', { default: true }), withoutKey('o3'), model('local')];
    expect(preselectedModel(models)?.id).toBe('local');
  });

  it('starts on the first model that can run when no model is the default', () => {
    expect(preselectedModel([withoutKey('gpt-4o'), model('local')])?.id).toBe('local');
  });

  it('starts on the default, or the first, when none can run, and on nothing without models', () => {
    expect(preselectedModel([withoutKey('a'), withoutKey('b', { default: true })])?.id).toBe('b');
    expect(preselectedModel([withoutKey('a'), withoutKey('b')])?.id).toBe('a');
    expect(preselectedModel([])).toBeUndefined();
  });
});

describe('findModel', () => {
  it('finds a continued conversation’s model by id or alias, whether or not it can run', () => {
    const models = [
      model('echo', { default: true }),
      withoutKey('gpt-4o-mini', { aliases: ['4o-mini'] }),
    ];
    expect(findModel(models, 'gpt-4o-mini')?.id).toBe('gpt-4o-mini');
    expect(findModel(models, '4o-mini')?.id).toBe('gpt-4o-mini');
    expect(findModel(models, 'retired')).toBeUndefined();
    expect(findModel(models, undefined)).toBeUndefined();
  });
});

describe('modelChoices', () => {
  it('labels each model with its aliases and marks the default and the unavailable', () => {
    const models = [
      model('echo', { default: true }),
      withoutKey('gpt-4o-mini', { aliases: ['4o-mini', 'mini'] }),
      withoutKey('gpt-4o', { default: true }),
      model('local-text', { aliases: ['lt'] }),
    ];
    expect(modelChoices(models)).toEqual([
      { value: 'echo', label: 'echo — default', disabled: false, reason: undefined },
      {
        value: 'gpt-4o-mini',
        label: 'gpt-4o-mini (4o-mini, mini) — unavailable',
        disabled: true,
        reason: missingKey,
      },
      {
        value: 'gpt-4o',
        label: 'gpt-4o — default, unavailable',
        disabled: true,
        reason: missingKey,
      },
      { value: 'local-text', label: 'local-text (lt)', disabled: false, reason: undefined },
    ]);
  });

  it('gives an unavailable model without a reason a general one', () => {
    const [choice] = modelChoices([withoutKey('gpt-4o', { unavailable_reason: null })]);
    expect(choice).toMatchObject({ disabled: true, reason: 'It cannot run.' });
  });
});

describe('unavailableHint', () => {
  it('says which models cannot run and why, one sentence per reason', () => {
    const models = [
      model('echo'),
      withoutKey('gpt-4o'),
      withoutKey('gpt-4o-mini'),
      withoutKey('claude', { unavailable_reason: 'no anthropic key is configured on the server' }),
    ];
    expect(unavailableHint(models)).toBe(
      `Unavailable: gpt-4o, gpt-4o-mini (${missingKey}). Unavailable: claude (no anthropic key is configured on the server).`,
    );
  });

  it('is absent when every model can run', () => {
    expect(unavailableHint([model('echo'), model('local')])).toBeUndefined();
  });
});
