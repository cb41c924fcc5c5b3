import { type Problem, problemCatalogue } from '@llmq/contracts';
import type { z } from 'zod';
import { problemOf } from './problems.ts';

const where: Record<string, string> = {
  json: 'the JSON body',
  query: 'the query string',
  param: 'the path',
  header: 'the headers',
  form: 'the form',
};

/** A request that failed its schema: 422 with every invalid field named. */
export function validationProblem(error: z.ZodError, target: string): Problem {
  const errors = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { path: path || '(root)', message: `Unknown field(s): ${issue.keys.join(', ')}` };
    }
    return { path: path || '(root)', message: issue.message };
  });
  const summary = errors.map((item) => `${item.path}: ${item.message}`).join('; ');
  return problemOf(
    problemCatalogue.validationFailed,
    `${where[target] ?? target} is invalid: ${summary}`.replace(/^t/, 'T'),
    errors,
  );
}
