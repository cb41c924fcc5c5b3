import { describe, expect, it } from 'vitest';
import { retentionSettingSchema } from './retention-policy.ts';

describe('retentionSettingSchema', () => {
  it('reads periods per kind in milliseconds', () => {
    expect(
      retentionSettingSchema.parse('{"prompts":"30d","webhook_deliveries":"12h","files":"90m"}'),
    ).toEqual({ prompts: 30 * 86_400_000, webhook_deliveries: 12 * 3_600_000, files: 90 * 60_000 });
  });

  it('keeps everything when empty', () => {
    expect(retentionSettingSchema.parse('')).toEqual({});
    expect(retentionSettingSchema.parse(undefined)).toEqual({});
  });

  it('refuses a period without a unit, with an example', () => {
    const result = retentionSettingSchema.safeParse('{"prompts":"30"}');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('like "30d"');
  });

  it('refuses a period longer than 100 years, saying how to keep data for good', () => {
    const result = retentionSettingSchema.safeParse('{"prompts":"300000000d"}');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('at most 100 years ("36500d")');
    expect(result.error?.issues[0]?.message).toContain('leave the kind out');
    expect(retentionSettingSchema.parse('{"prompts":"36500d"}')).toEqual({
      prompts: 36_500 * 86_400_000,
    });
    expect(retentionSettingSchema.safeParse('{"files":"5215w"}').success).toBe(false);
  });

  it('refuses an unknown kind, naming the kinds', () => {
    const result = retentionSettingSchema.safeParse('{"results":"30d"}');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('results');
    expect(result.error?.issues[0]?.message).toContain('prompts, batches, files');
  });

  it('refuses text that is not JSON, with an example', () => {
    const result = retentionSettingSchema.safeParse('prompts=30d');
    expect(result.error?.issues[0]?.message).toMatch(/^must be JSON, like \{/);
  });
});
