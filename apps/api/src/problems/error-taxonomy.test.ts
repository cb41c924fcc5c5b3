import * as client from '@llmq/client';
import * as contracts from '@llmq/contracts';
import * as core from '@llmq/core';
import { LlmqError } from '@llmq/core';
import * as db from '@llmq/db';
import * as engine from '@llmq/engine';
import * as metrics from '@llmq/metrics';
import * as pluginEcho from '@llmq/plugin-echo';
import * as pluginOpenAI from '@llmq/plugin-openai';
import * as queue from '@llmq/queue';
import * as storage from '@llmq/storage';
import * as tracing from '@llmq/tracing';
import { describe, expect, it } from 'vitest';
import * as chatRequest from '../openai/chat-request.ts';
import * as openAIError from '../openai/openai-error.ts';
import { OpenAIRequestError } from '../openai/openai-error.ts';
import * as requireRedis from '../server/require-redis.ts';
import * as dataFolderLock from '../startup/data-folder-lock.ts';
import * as portCheck from '../startup/port-check.ts';
import * as jsonlItems from '../uploads/jsonl-items.ts';
import * as multipartFiles from '../uploads/multipart-files.ts';
import * as problems from './problems.ts';
import { problemByCode } from './problems.ts';

/** Every package's index, and the api's modules that define errors (the api has no index). */
const modules: Record<string, Record<string, unknown>> = {
  '@llmq/core': core,
  '@llmq/contracts': contracts,
  '@llmq/db': db,
  '@llmq/storage': storage,
  '@llmq/queue': queue,
  '@llmq/engine': engine,
  '@llmq/metrics': metrics,
  '@llmq/tracing': tracing,
  '@llmq/plugin-echo': pluginEcho,
  '@llmq/plugin-openai': pluginOpenAI,
  '@llmq/client': client,
  'apps/api problems': problems,
  'apps/api multipart-files': multipartFiles,
  'apps/api jsonl-items': jsonlItems,
  'apps/api require-redis': requireRedis,
  'apps/api data-folder-lock': dataFolderLock,
  'apps/api port-check': portCheck,
  'apps/api openai/chat-request': chatRequest,
  'apps/api openai/openai-error': openAIError,
};

/**
 * Errors outside the server's taxonomy, each with why; any other class must extend LlmqError.
 * The client's errors are the API's answers as a caller receives them, and the environment's is
 * raised before anything runs; neither package imports core yet (left for later). The concise
 * schema parser's is a plain parse error of contracts.
 */
const outsideTheTaxonomy = new Set([
  'EnvironmentError',
  'LlmqApiError',
  'LlmqConnectionError',
  // The concise-schema parser's, which the CLI runs too; the engine raises it as
  // InvalidSchemaError (resolveSchema), so it never reaches the edge itself.
  'ConciseSchemaError',
  // Reading a schema written as text (CLI, console, the batch form field, which answers it as a
  // validation problem at once): contracts does not import core.
  'SchemaTextError',
]);

/** The facade answers its own error in OpenAI's shape (`openAIErrorFor`), not through problemFor. */
const answeredByTheFacade = new Set([OpenAIRequestError.failure.code]);

type ErrorClass = (abstract new (...args: never[]) => Error) & { failure?: core.FailureTraits };

function exportedErrorClasses(): Array<{ where: string; name: string; errorClass: ErrorClass }> {
  const found = [];
  for (const [where, exports] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function' && value.prototype instanceof Error) {
        found.push({ where, name, errorClass: value as ErrorClass });
      }
    }
  }
  return found;
}

describe('the failure taxonomy', () => {
  const classes = exportedErrorClasses();

  it('finds the error classes of every package', () => {
    const names = classes.map((each) => each.name);
    // One of each package's, so a module that stopped exporting its errors is noticed.
    for (const name of ['ModelError', 'DatabaseUnavailableError', 'BlobNotFoundError']) {
      expect(names).toContain(name);
    }
    for (const name of ['EventLogLostError', 'NotFoundError', 'InvalidJsonlError']) {
      expect(names).toContain(name);
    }
    expect(classes.length).toBeGreaterThan(35);
  });

  it('gives every error class its own code, a blame and an answer at the edge or a never mark', () => {
    const codes = new Map<string, string>();
    for (const { where, name, errorClass } of classes) {
      const label = `${name} (${where})`;
      if (errorClass === LlmqError) continue;
      if (outsideTheTaxonomy.has(name)) {
        expect(errorClass.prototype instanceof LlmqError, label).toBe(false);
        continue;
      }
      expect(errorClass.prototype instanceof LlmqError, `${label} extends LlmqError`).toBe(true);
      // Its own traits, not its parent's: a subclass must say what it is.
      expect(Object.hasOwn(errorClass, 'failure'), `${label} states its failure`).toBe(true);
      const traits = errorClass.failure as core.FailureTraits;
      expect(traits.code, label).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
      expect(['request', 'provider', 'service'], label).toContain(traits.blame);
      expect(typeof traits.retryable, label).toBe('boolean');
      expect(['http', 'never'], label).toContain(traits.edge);
      const seen = codes.get(traits.code);
      if (seen !== undefined && seen !== name) {
        expect.fail(`${label} shares the code ${traits.code} with ${seen}`);
      }
      codes.set(traits.code, name);
      if (traits.edge === 'http') {
        const answered =
          problemByCode.has(traits.code) ||
          answeredByTheFacade.has(traits.code) ||
          // A backing service's failure is answered by the outage check (503) or as a 500.
          traits.blame === 'service';
        expect(answered, `${label} reaches the edge: problems.ts must answer it`).toBe(true);
      } else {
        expect(problemByCode.has(traits.code), `${label} is marked never, yet answered`).toBe(
          false,
        );
      }
    }
  });

  it('answers only codes that some error class has', () => {
    const classCodes = new Set(classes.map((each) => each.errorClass.failure?.code));
    for (const code of problemByCode.keys()) expect(classCodes, code).toContain(code);
  });
});
