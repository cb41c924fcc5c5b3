import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addKeyOptions, type KeyFlags, keySettingsOfFlags } from './key-options.ts';

function parsed(args: readonly string[]): KeyFlags {
  const command = addKeyOptions(new Command('create'))
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  command.parse([...args], { from: 'user' });
  return command.opts<KeyFlags>();
}

describe('keySettingsOfFlags', () => {
  it('gives only the settings named, repeated models in order', () => {
    expect(keySettingsOfFlags(parsed([]))).toEqual({});
    expect(
      keySettingsOfFlags(
        parsed(['-m', 'echo', '--model', 'gpt-4o', '--expires-in-days', '7', '--rpm', '60']),
      ),
    ).toEqual({ allowed_models: ['echo', 'gpt-4o'], expires_in_days: 7, requests_per_minute: 60 });
    expect(
      keySettingsOfFlags(
        parsed(['--budget', '12.5', '--budget-period', 'month', '--webhook', 'https://x.test/h']),
      ),
    ).toEqual({ budget_usd: 12.5, budget_period: 'month', webhook_url: 'https://x.test/h' });
  });

  it('clears with none', () => {
    expect(
      keySettingsOfFlags(
        parsed([
          '-m',
          'none',
          '--expires-in-days',
          'none',
          '--webhook',
          'none',
          '--budget',
          'none',
          '--budget-period',
          'none',
          '--rpm',
          'none',
          '--tpm',
          'none',
          '--max-concurrent',
          'none',
        ]),
      ),
    ).toEqual({
      allowed_models: null,
      expires_at: null,
      webhook_url: null,
      budget_usd: null,
      budget_period: null,
      requests_per_minute: null,
      tokens_per_minute: null,
      max_concurrent: null,
    });
    expect(keySettingsOfFlags(parsed(['--expires-at', 'none']))).toEqual({ expires_at: null });
  });

  it('refuses values that are not numbers, periods or days, and both expiries', () => {
    for (const args of [
      ['--rpm', '0'],
      ['--tpm', '1.5'],
      ['--budget', '-3'],
      ['--budget-period', 'year'],
      ['--expires-in-days', '0'],
      ['--expires-in-days', '2', '--expires-at', '2030-01-01T00:00:00Z'],
    ]) {
      expect(() => parsed(args), args.join(' ')).toThrow();
    }
  });
});
