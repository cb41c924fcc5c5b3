import { z } from 'zod';
import { ModelError } from './errors.ts';
import { AsyncModel, type ExecuteContext } from './model.ts';
import type { Prompt } from './prompt.ts';
import type { ExecuteYield } from './stream-event.ts';

const mockOptions = z.object({
  max_tokens: z.int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
});

export interface MockCall {
  readonly prompt: Prompt<z.output<typeof mockOptions>>;
  readonly context: ExecuteContext;
}

/** A scripted model for the SDK's own tests, like llm's MockModel: enqueue what it yields. */
export class MockModel extends AsyncModel<typeof mockOptions> {
  readonly modelId: string;
  readonly optionsSchema = mockOptions;
  override readonly attachmentTypes: ReadonlySet<string>;
  readonly history: MockCall[] = [];
  readonly #queue: Array<readonly ExecuteYield[] | Error> = [];

  constructor(modelId = 'mock', attachmentTypes: readonly string[] = ['image/png', 'audio/wav']) {
    super();
    this.modelId = modelId;
    this.attachmentTypes = new Set(attachmentTypes);
  }

  /** The next call yields these items; an Error makes it throw after nothing. */
  enqueue(items: readonly ExecuteYield[] | Error): void {
    this.#queue.push(items);
  }

  async *execute(
    prompt: Prompt<z.output<typeof mockOptions>>,
    context: ExecuteContext,
  ): AsyncGenerator<ExecuteYield, void, undefined> {
    this.history.push({ prompt, context });
    const next = this.#queue.shift() ?? [];
    if (next instanceof Error) throw next;
    for (const item of next) yield item;
    context.response.setUsage({
      input: prompt.prompt.split(/\s+/).filter(Boolean).length,
      output: next.length,
    });
  }
}

/** A mock whose execute yields one chunk and then fails. */
export class FailingModel extends MockModel {
  override async *execute(): AsyncGenerator<ExecuteYield, void, undefined> {
    yield 'partial';
    throw new ModelError('provider exploded', { retryable: true, status: 503 });
  }
}

/** A mock that supports tools, to script tool calls (`{type: 'tool_call', call}` items). */
export class ToolMockModel extends MockModel {
  override readonly supportsTools = true;
}
