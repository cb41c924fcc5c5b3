import { describe, expect, it } from 'vitest';
import { tagOfPath } from './api-tags.ts';

describe('tagOfPath', () => {
  it('groups paths by resource, streams and their tokens apart, the facade and admin routes apart', () => {
    expect(tagOfPath('/v1/prompts')).toBe('Prompts');
    expect(tagOfPath('/v1/prompts/{id}/cancel')).toBe('Prompts');
    expect(tagOfPath('/v1/prompts/{id}/stream')).toBe('Streams');
    expect(tagOfPath('/v1/batches/{id}/token')).toBe('Streams');
    expect(tagOfPath('/v1/batches/{id}/results')).toBe('Batches');
    expect(tagOfPath('/openai/v1/batches')).toBe('OpenAI-compatible');
    expect(tagOfPath('/openai/v1/chat/completions')).toBe('OpenAI-compatible');
    expect(tagOfPath('/metrics')).toBe('Health and metrics');
    expect(tagOfPath('/v1/keys/{id}')).toBe('Admin');
    expect(tagOfPath('/v1/provider-keys/{name}')).toBe('Admin');
    expect(tagOfPath('/v1/owners/{owner}/limits')).toBe('Admin');
    expect(tagOfPath('/v1/limits')).toBe('Admin');
    expect(tagOfPath('/admin/queues')).toBe('Admin');
    expect(tagOfPath('/elsewhere')).toBeUndefined();
  });
});
