import { defaultChainLimit, type PromptEvent } from '@llmq/contracts';
import {
  type AsyncModel,
  type Attachment,
  newId,
  type Tool,
  type ToolCall,
  type ToolResult,
  type Usage,
} from '@llmq/core';
import {
  type ChainAttempt,
  type ChainEnd,
  type ChainStepRow,
  chainStepsOf,
  createChainStep,
  type PromptWithAttachments,
  type StoredTool,
  storeStepAnswer,
  storeToolResult,
  succeedChain,
} from '@llmq/db';
import type { EventWriter } from '@llmq/queue';
import type { Logger } from 'pino';
import { chainDoneEvent } from '../prompts/chain-done-event.ts';
import { matchSchema } from '../schemas/match-schema.ts';
import type { RunnableSchema } from '../schemas/schema-store.ts';
import { checkAnswer } from '../spend/answer-spend.ts';
import { responseSpendOf } from '../spend/response-spend-of.ts';
import { ChainLimitError } from '../tools/tool-errors.ts';
import { defaultToolLimits } from '../tools/tool-limits.ts';
import type { EngineDependencies } from './engine-dependencies.ts';
import {
  describeMessages,
  loadPromptInput,
  type PromptInput,
  toolResultOf,
} from './load-prompt-input.ts';
import { definitionOf, isClientCall, offeredTool, runServerTool } from './offered-tools.ts';

type DoneEvent = Extract<PromptEvent, { type: 'done' }>;

/** One attempt of a chain: what `runPromptJob` has set up for it. */
export interface ChainRun {
  readonly root: PromptWithAttachments;
  readonly attempt: number;
  /** The attempt's signal: cancel, shutdown and the model's time limit. */
  readonly signal: AbortSignal;
  /** The job's own signal (cancel, shutdown): what a tool run stops for, besides its limit. */
  readonly jobSignal: AbortSignal;
  /** Starts the model's time limit again, for one model call. */
  readonly restartTimer: () => void;
  /** Stops the model's time limit while a tool runs: tools have limits of their own. */
  readonly pauseTimer: () => void;
  readonly writer: EventWriter;
  readonly model: AsyncModel;
  /** Why `model` is a fallback of the prompt's own, when it is. */
  readonly fallbackReason: string | undefined;
  readonly key: string | undefined;
  readonly schema: RunnableSchema | undefined;
  /** Whether a schema mismatch may be retried (the schema's retries are not spent). */
  readonly schemaRetryable: boolean;
  readonly log: Logger;
  /** Told of the first chunk, for the time-to-first-token metric. */
  readonly onFirstChunk: () => void;
}

/** How a chain attempt ended, for the caller to record. */
export type ChainOutcome =
  | { readonly kind: 'succeeded'; readonly done: DoneEvent; readonly usage: Usage }
  | { readonly kind: 'lost' };

/** A step as the runner keeps it while the chain goes on. */
interface Step {
  readonly id: string;
  readonly number: number;
  readonly prompt: string;
  response: string | null;
  reasoning: string | null;
  toolCalls: ToolCall[] | null;
  readonly results: Map<string, ToolResult>;
  usage: Usage;
  durationMs: number;
}

/**
 * Run a prompt with tools as a durable chain, as llm's `chain()` does: call the model; run the
 * server tools it asked for; send their results back; until it answers without calls, calls a
 * client's tool, or reaches the chain's limit. Each model call is a stored step (a response
 * of the conversation) and each result is stored before the next model call, every write
 * fenced by this attempt. An attempt after a crash resumes where the stored rows end: a step
 * whose answer is stored is not asked again, a call whose result is stored is not run again,
 * and the event log gets the stored part again (followers dropped it at the restart).
 */
export async function runChain(deps: EngineDependencies, run: ChainRun): Promise<ChainOutcome> {
  const { root, writer, log } = run;
  const owner: ChainAttempt = { chainId: root.id, attempt: run.attempt };
  const limit = root.chainLimit ?? defaultChainLimit;
  const catalogue = deps.tools;
  const offered = root.tools ?? [];
  const definitions = offered.map(definitionOf);
  const steps = (await chainStepsOf(deps.db, root.id)).map(stepOf);
  // Each file of the conversation is read once for the whole chain.
  const attachments = new Map<string, Promise<Attachment>>();
  const firstInput = await loadPromptInput(deps.db, deps.blobs, root, run.signal, attachments);
  // The calls the step's prompt answers, and the tools offered with them.
  let previousCalls: readonly ToolCall[] = firstInput.lastTurn?.toolCalls ?? [];
  let previousOffered: readonly StoredTool[] = firstInput.lastTurn?.tools ?? [];
  for (let index = 0; ; index++) {
    run.signal.throwIfAborted();
    const step = steps[index] as Step;
    // 1. The calls of the turn before, answered: stored results as they are, the rest run.
    for (const [position, call] of previousCalls.entries()) {
      let result = step.results.get(call.id);
      if (!result) {
        run.pauseTimer();
        const ran = await runServerTool(catalogue, offeredTool(previousOffered, call), call, {
          signal: run.jobSignal,
          attempt: run.attempt,
          limits: deps.toolLimits ?? defaultToolLimits,
        });
        const stored = await storeToolResult(deps.db, owner, step.id, {
          toolCallId: call.id,
          position,
          name: call.name,
          output: ran.output,
          exception: ran.exception ?? null,
        });
        if (!stored) return { kind: 'lost' };
        result = toolResultOf(stored);
        step.results.set(call.id, result);
        log.info(
          { step: step.number, tool: call.name, toolCallId: call.id, failed: !!result.exception },
          'tool ran',
        );
      }
      writer.queue({ type: 'tool_result', step: step.number, result: resultBody(result) });
    }
    // 2. The model call, unless its answer is stored (then the log gets it again).
    if (step.response === null) {
      run.restartTimer();
      const input =
        index === 0
          ? firstInput
          : await loadPromptInput(
              deps.db,
              deps.blobs,
              {
                ...root,
                id: step.id,
                prompt: '',
                system: null,
                attachments: [],
                chainStep: step.number,
              },
              run.signal,
              attachments,
            );
      const answered = await callModel(deps, run, step, definitions, previousCalls, input);
      if (!answered) return { kind: 'lost' };
    } else {
      if (step.reasoning) writer.reasoning(step.reasoning);
      if (step.response) writer.chunk(step.response);
      for (const call of step.toolCalls ?? []) {
        writer.queue({ type: 'tool_call', step: step.number, call });
      }
    }
    // 3. What comes next: the end, the client's turn, the limit, or the next step.
    const calls = step.toolCalls ?? [];
    const forClient = calls.filter((call) => isClientCall(offered, call));
    if (calls.length === 0 || forClient.length > 0) {
      return await endChain(deps, run, owner, steps.slice(0, index + 1), forClient);
    }
    if (index + 1 >= limit) throw new ChainLimitError(limit);
    if (!steps[index + 1]) {
      const next: Step = {
        id: newId(),
        number: step.number + 1,
        prompt: '',
        response: null,
        reasoning: null,
        toolCalls: null,
        results: new Map(),
        usage: { input: null, output: null, details: null },
        durationMs: 0,
      };
      if (!(await createChainStep(deps.db, owner, { id: next.id, step: next.number }))) {
        return { kind: 'lost' };
      }
      steps.push(next);
    }
    previousCalls = calls;
    previousOffered = offered;
  }
}

/** Ask the model for one step and store its answer (text and calls) in one fenced write. */
async function callModel(
  deps: EngineDependencies,
  run: ChainRun,
  step: Step,
  tools: readonly Tool[],
  answeredCalls: readonly ToolCall[],
  input: PromptInput,
): Promise<boolean> {
  const { root, writer } = run;
  const first = step.id === root.id;
  const toolResults = answeredCalls.flatMap((call) => {
    const result = step.results.get(call.id);
    return result ? [result] : [];
  });
  const response = run.model.prompt(step.prompt, {
    system: first ? (root.system ?? undefined) : undefined,
    attachments: input.attachments,
    options: root.options,
    schema: run.schema?.content,
    tools,
    toolResults,
    history: input.history,
    signal: run.signal,
    attempt: run.attempt,
    stream: true,
    key: run.key,
  });
  let seenText = false;
  for await (const event of response.events()) {
    // The calls go to the log once the answer is complete, with the ids they are stored with.
    if (event.type === 'tool_call') continue;
    if (!seenText && event.chunk) {
      seenText = true;
      run.onFirstChunk();
    }
    if (event.type === 'reasoning') writer.reasoning(event.chunk);
    else writer.chunk(event.chunk);
  }
  const completed = await response;
  const text = completed.text();
  const calls = uniqueCallIds(completed.toolCalls(), step.number);
  const usage = completed.usage();
  const spend = responseSpendOf(deps.prices, run.model.modelId, usage, 'realtime');
  // Only an answer without calls is the chain's answer, which its schema must match; checked
  // before it is stored, so a mismatch's retry asks this step again (the failure's write
  // counts what the refused answer cost).
  const schema = run.schema;
  const data =
    schema && calls.length === 0
      ? checkAnswer(spend, () =>
          matchSchema(text, schema.validate, { retryable: run.schemaRetryable }),
        )
      : undefined;
  for (const call of calls) writer.queue({ type: 'tool_call', step: step.number, call });
  await writer.flush();
  const stored = await storeStepAnswer(
    deps.db,
    { chainId: root.id, attempt: run.attempt },
    step.id,
    {
      response: text,
      responseJson: completed.json(),
      promptJson: await describeMessages(completed.prompt.messages),
      inputTokens: usage.input,
      outputTokens: usage.output,
      tokenDetails: usage.details as Record<string, unknown> | null,
      durationMs: completed.durationMs(),
      datetimeUtc: new Date(completed.datetimeUtc()),
      // A fallback's answer names the model that gave it, even when its plugin does not.
      resolvedModel: completed.resolvedModel ?? (run.fallbackReason ? run.model.modelId : null),
      fallbackReason: run.fallbackReason ?? null,
      data: data ?? null,
      reasoning: completed.reasoning() || null,
      toolCalls: calls,
      spend,
    },
  );
  if (!stored) return false;
  step.response = text;
  step.reasoning = completed.reasoning() || null;
  step.toolCalls = calls.length > 0 ? calls : null;
  step.usage = usage;
  step.durationMs = completed.durationMs();
  return true;
}

/** End the chain: the first step succeeds, and `done` says how (calls left for the client). */
async function endChain(
  deps: EngineDependencies,
  run: ChainRun,
  owner: ChainAttempt,
  steps: readonly Step[],
  forClient: readonly ToolCall[],
): Promise<ChainOutcome> {
  await run.writer.flush();
  const last = steps.at(-1) as Step;
  const data =
    run.schema && forClient.length === 0 && last.response !== null
      ? matchSchema(last.response, run.schema.validate, { retryable: run.schemaRetryable })
      : undefined;
  const usage = sumUsage(steps.map((step) => step.usage));
  const end: ChainEnd = {
    finish_reason: forClient.length > 0 ? 'tool_calls' : 'stop',
    tool_calls: [...forClient],
    steps: steps.length,
    usage: { input: usage.input, output: usage.output },
    duration_ms: steps.reduce((total, step) => total + step.durationMs, 0),
  };
  const row = await succeedChain(deps.db, owner, end, data);
  if (!row) return { kind: 'lost' };
  return { kind: 'succeeded', done: chainDoneEvent(end, run.schema ? data : undefined), usage };
}

/**
 * The calls with ids the chain can answer: a provider's empty id, or one a call before it in
 * the step already has, would leave a call no result can name.
 */
function uniqueCallIds(calls: readonly ToolCall[], step: number): ToolCall[] {
  const seen = new Set<string>();
  return calls.map((call, index) => {
    const id = call.id && !seen.has(call.id) ? call.id : `llmq-step-${step}-call-${index + 1}`;
    seen.add(id);
    return id === call.id ? call : { ...call, id };
  });
}

function stepOf(row: ChainStepRow): Step {
  return {
    id: row.id,
    number: row.chainStep ?? 1,
    prompt: row.prompt,
    response: row.response,
    reasoning: row.reasoning,
    toolCalls: row.toolCalls ? [...row.toolCalls] : null,
    results: new Map(row.toolResults.map((result) => [result.toolCallId, toolResultOf(result)])),
    usage: {
      input: row.inputTokens,
      output: row.outputTokens,
      details: row.tokenDetails ?? null,
    },
    durationMs: row.durationMs ?? 0,
  };
}

function resultBody(result: ToolResult) {
  return {
    tool_call_id: result.toolCallId,
    name: result.name,
    output: result.output,
    exception: result.exception ?? null,
  };
}

function sumUsage(usages: readonly Usage[]): Usage {
  const add = (values: (number | null)[]) =>
    values.every((value) => value === null)
      ? null
      : values.reduce<number>((total, value) => total + (value ?? 0), 0);
  return {
    input: add(usages.map((usage) => usage.input)),
    output: add(usages.map((usage) => usage.output)),
    details: null,
  };
}
