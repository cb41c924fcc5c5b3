import { describe, expect, it } from 'vitest';
import { problemCatalogue, problemSlug, problemType } from './problem-catalogue.ts';

const definitions = Object.entries(problemCatalogue);

describe('problemCatalogue', () => {
  it('gives each kind of problem a slug of its own', () => {
    const slugs = definitions.map(([, definition]) => definition.slug);
    const repeated = slugs.filter((slug, index) => slugs.indexOf(slug) !== index);
    expect(repeated).toEqual([]);
  });

  it.each(definitions)('%s has a lower-case slug, an error status and a title', (_, definition) => {
    expect(definition.slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(definition.status).toBeGreaterThanOrEqual(400);
    expect(definition.status).toBeLessThan(600);
    expect(definition.title.trim()).not.toBe('');
  });
});

describe('problemType and problemSlug', () => {
  it('turn a slug into its URN and back', () => {
    const type = problemType(problemCatalogue.payloadTooLarge.slug);
    expect(type).toBe('urn:llmq:problem:payload-too-large');
    expect(problemSlug(type)).toBe('payload-too-large');
  });

  it('leave a type that is not llmq’s as it is', () => {
    expect(problemSlug('about:blank')).toBe('about:blank');
  });
});
