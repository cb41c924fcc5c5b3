import type { z } from '@hono/zod-openapi';
import {
  batchTemplateSchema,
  createBatchSchema,
  problemCatalogue,
  readSchemaText,
  SchemaTextError,
  withoutNul,
} from '@llmq/contracts';
import type { SubmitBatchInput } from '@llmq/engine';
import type { HonoRequest } from 'hono';
import { ProblemError } from '../problems/problems.ts';
import { validationProblem } from '../problems/validation-problem.ts';
import { type JsonlLimits, readJsonlItems } from '../uploads/jsonl-items.ts';
import { forEachMultipartFile } from '../uploads/multipart-files.ts';

/**
 * The batch a POST /v1/batches body asks for: a JSON object, or multipart/form-data with the
 * template's fields and a JSONL file of items; any other body is refused with a problem.
 */
export async function readBatchInput(
  request: HonoRequest,
  limits: JsonlLimits,
): Promise<SubmitBatchInput> {
  const type = request.header('content-type') ?? '';
  if (/^multipart\/form-data\b/i.test(type)) {
    return await multipartBatch(request.raw, limits);
  }
  if (/^application\/json\b/i.test(type)) {
    let raw: unknown;
    try {
      raw = await request.json();
    } catch {
      throw new ProblemError(
        problemCatalogue.malformedRequest,
        'The body is not valid JSON: send the batch as a JSON object with Content-Type: application/json',
      );
    }
    const parsed = createBatchSchema.safeParse(raw);
    if (!parsed.success) throw validationProblemError(parsed.error);
    const { schema_multi: schemaMulti, webhook_url: webhookUrl, ...fields } = parsed.data;
    return { ...fields, schemaMulti, webhookUrl };
  }
  throw new ProblemError(
    problemCatalogue.unsupportedMediaType,
    'Send the batch as JSON (Content-Type: application/json) or as multipart/form-data with a JSONL file',
  );
}

function validationProblemError(error: z.ZodError): ProblemError {
  const problem = validationProblem(error, 'json');
  return new ProblemError(problemCatalogue.validationFailed, problem.detail, problem.errors);
}

/** A batch sent as multipart/form-data: template fields and a JSONL file of items. */
async function multipartBatch(request: Request, limits: JsonlLimits): Promise<SubmitBatchInput> {
  const fields = new Map<string, string>();
  let jsonl: Awaited<ReturnType<typeof readJsonlItems>> | undefined;
  await forEachMultipartFile(
    request,
    1,
    async (part) => {
      jsonl = await readJsonlItems(part.stream, limits);
    },
    (name, value) => fields.set(name, value),
  );
  if (!jsonl) {
    throw new ProblemError(
      problemCatalogue.noFile,
      'Send the items as a JSONL file in the form field `file`',
    );
  }
  let options: unknown;
  const rawOptions = fields.get('options');
  if (rawOptions) {
    try {
      options = JSON.parse(rawOptions);
    } catch {
      throw new ProblemError(
        problemCatalogue.validationFailed,
        'The form field `options` must be a JSON object, like {"temperature": 0.2}',
      );
    }
  }
  const schemaField = fields.get('schema');
  const multiField = fields.get('schema_multi');
  const template = withoutNul(batchTemplateSchema).safeParse({
    model: fields.get('model'),
    prompt: fields.get('prompt'),
    system: fields.get('system'),
    ...(options === undefined ? {} : { options }),
    ...(schemaField === undefined ? {} : { schema: schemaFieldValue(schemaField) }),
    ...(multiField === undefined ? {} : { schema_multi: multiField === 'true' }),
    mode: fields.get('mode'),
    webhook_url: fields.get('webhook_url'),
  });
  if (!template.success) throw validationProblemError(template.error);
  const { schema_multi: schemaMulti, webhook_url: webhookUrl, ...rest } = template.data;
  const lines = jsonl.lines;
  return {
    ...rest,
    schemaMulti,
    webhookUrl,
    items: jsonl.items,
    itemLabel: (index) => `line ${lines[index]}`,
  };
}

/** The form field `schema`, read as every schema written as text is (`readSchemaText`). */
function schemaFieldValue(text: string): unknown {
  try {
    const read = readSchemaText(text);
    return read.kind === 'json' ? read.schema : read.kind === 'id' ? read.id : read.text;
  } catch (error) {
    if (!(error instanceof SchemaTextError)) throw error;
    throw new ProblemError(
      problemCatalogue.validationFailed,
      `The form field \`schema\`: ${error.message}`,
    );
  }
}
