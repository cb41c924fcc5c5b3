import { type AsyncModel, type CompletedResponse, NeedsKeyError } from '@llmq/core';
import { getPrompt } from '@llmq/db';
import { EventWriter } from '@llmq/queue';
import { PromptTimeoutError } from '../failures/abort-reasons.ts';
import { AttemptFailedError } from '../failures/attempt-failed-error.ts';
import { type SettlementOutcome, settleAttempt } from '../failures/attempt-settlement.ts';
import { closeEndedLog } from '../prompts/close-ended-log.ts';
import { matchSchema } from '../schemas/match-schema.ts';
import { checkAnswer } from '../spend/answer-spend.ts';
import { responseSpendOf } from '../spend/response-spend-of.ts';
import type { EngineDependencies } from './engine-dependencies.ts';
import {
  allowedFallbacks,
  modelForAttempt,
  nextModel,
  refusedBeforeAnswering,
} from './fallback-model.ts';
import type { AttemptOutcome, JobObserver } from './job-observer.ts';
import { describeMessages, loadPromptInput } from './load-prompt-input.ts';
import { PromptNotFoundError } from './prompt-not-found-error.ts';
import type { PromptRun, PromptRunOutcome } from './prompt-run.ts';
import { recordBatchItemEnd } from './record-batch-item-end.ts';
import { recordTokens } from './record-tokens.ts';
import { runChain } from './run-chain.ts';
import { settleFailure } from './settle-failure.ts';

// The worker that starts these jobs takes their dependencies from here.
export type { EngineDependencies } from './engine-dependencies.ts';

/**
 * Run one attempt of a prompt: claim the row for this attempt, build the prompt from the
 * database and the blob store (earlier turns included), stream the model's chunks into the
 * event log, and store the answer once, only if this attempt still owns the row.
 *
 * A failure is settled once (`settleAttempt`) and thrown as an `AttemptFailedError` carrying
 * that settlement, which the worker hands to BullMQ (`settleJobError`) and the observer counts.
 */
export async function runPromptJob(
  deps: EngineDependencies,
  run: PromptRun,
): Promise<PromptRunOutcome> {
  const observer = deps.observer;
  const started = Date.now();
  const attempt: ObservedAttempt | undefined = observer && {
    model: undefined,
    started,
    usage: undefined,
    observer,
  };
  try {
    const outcome = await runAttempt(deps, run, attempt);
    if (attempt?.model) {
      observer?.ended(attempt.model, outcome, Date.now() - started, attempt.usage);
    }
    return outcome;
  } catch (error) {
    // A failure before the attempt owned its row (the claim), or while it recorded one, is
    // settled here; every other was settled where it happened.
    const failed =
      error instanceof AttemptFailedError
        ? error
        : new AttemptFailedError(settleAttempt(error, { finalAttempt: run.finalAttempt }));
    if (attempt?.model) {
      observer?.ended(
        attempt.model,
        observedOutcomes[failed.settlement.outcome],
        Date.now() - started,
        undefined,
      );
    }
    throw failed;
  }
}

/** How metrics count each settlement. */
const observedOutcomes = {
  retry: 'retrying',
  outage: 'retrying',
  rate_limited: 'retrying',
  hand_back: 'handed_back',
  step_aside: 'handed_back',
  fail: 'failed',
  cancelled: 'cancelled',
} as const satisfies Record<SettlementOutcome, AttemptOutcome>;

/** What `runAttempt` tells the observer as it goes. */
interface ObservedAttempt {
  model: string | undefined;
  readonly started: number;
  usage: { input: number | null; output: number | null } | undefined;
  readonly observer: JobObserver;
}

async function runAttempt(
  deps: EngineDependencies,
  run: PromptRun,
  observed: ObservedAttempt | undefined,
): Promise<PromptRunOutcome> {
  const { db, events, logger, models } = deps;
  const log = logger.child({ promptId: run.promptId, attempt: run.attempt });
  const prompt = await deps.attempts.claim(run.promptId, run.attempt);
  if (!prompt) {
    const current = await getPrompt(db, run.promptId);
    if (!current) {
      // Logged where the job's queue is known (settleJobError), with this message.
      deps.observer?.promptMissing();
      throw new PromptNotFoundError(run.promptId);
    }
    log.info(
      { status: current.status, attempts: current.attempts },
      'prompt skipped: it has ended or a later attempt owns it',
    );
    await closeEndedLog(deps.events, current, log);
    return current.status === 'cancelled' ? 'cancelled' : 'skipped';
  }
  const writer = new EventWriter(events, run.promptId, deps.coalesceMs, run.attempt);
  // The attempt's own signal: the job's (cancel, shutdown), and the model's timeout. One
  // controller that the job's signal forwards to: AbortSignal.any costs a composite signal,
  // weak references and their clean-up on every job.
  const limitMs = deps.timeoutMs?.(prompt.model);
  const attemptAbort = new AbortController();
  const forwardAbort = () => attemptAbort.abort(run.signal.reason);
  if (run.signal.aborted) forwardAbort();
  else run.signal.addEventListener('abort', forwardAbort, { once: true });
  const arm = () =>
    limitMs === undefined
      ? undefined
      : setTimeout(() => attemptAbort.abort(new PromptTimeoutError(limitMs)), limitMs);
  let timer = arm();
  const signal = attemptAbort.signal;
  try {
    if (run.attempt > 1) writer.queue({ type: 'restart', attempt: run.attempt });
    writer.queue({ type: 'status', status: 'running', attempt: run.attempt });
    const primary = models.get(prompt.model);
    const fallbacks = allowedFallbacks(
      models,
      primary,
      await deps.subjectLimits?.allowedModelIds(models, prompt),
    );
    let choice = modelForAttempt(
      models,
      primary,
      run.attempt,
      deps.fallbackAfterAttempts ?? 2,
      prompt.error,
      fallbacks,
    );
    if (choice.fallbackReason) {
      log.warn({ model: choice.model.modelId, reason: choice.fallbackReason }, 'falling back');
    }
    const model = choice.model;
    if (observed) {
      observed.model = model.modelId;
      const waited = run.queuedAt === undefined ? undefined : observed.started - run.queuedAt;
      observed.observer.started(model.modelId, waited);
    }
    // Resolved at each attempt, so a key stored or deleted since the prompt was accepted counts.
    const keyOf = async (asked: AsyncModel) => {
      const found = deps.providerKeys ? await deps.providerKeys.keyFor(asked) : asked.key;
      if (asked.needsKey && !found) {
        throw new NeedsKeyError(asked.modelId, asked.keyEnvVar, asked.needsKey);
      }
      return found;
    };
    const schema = prompt.schemaId ? await deps.schemas.get(prompt.schemaId) : undefined;
    if (prompt.chainId === prompt.id) {
      // A chain stays on one model; a fallback without a key gives way to the next.
      let key: string | undefined;
      for (;;) {
        try {
          key = await keyOf(choice.model);
          break;
        } catch (error) {
          const next = refusedBeforeAnswering(error, choice)
            ? nextModel(models, primary, choice, error, fallbacks)
            : undefined;
          if (!next) throw error;
          choice = next;
        }
      }
      const end = await runChain(deps, {
        root: prompt,
        attempt: run.attempt,
        signal,
        jobSignal: run.signal,
        // The model's time limit applies to each model call, not to the tools between them.
        restartTimer: () => {
          clearTimeout(timer);
          timer = arm();
        },
        pauseTimer: () => clearTimeout(timer),
        writer,
        model: choice.model,
        fallbackReason: choice.fallbackReason,
        key,
        schema,
        schemaRetryable: prompt.schemaMismatches < (deps.schemaRetries ?? 1),
        log,
        onFirstChunk: () => {
          if (observed?.model) {
            observed.observer.firstChunk(observed.model, Date.now() - observed.started);
          }
        },
      });
      if (end.kind === 'lost') {
        log.warn('chain stopped: the prompt was cancelled or a later attempt owns it');
        return 'skipped';
      }
      if (observed) observed.usage = { input: end.usage.input, output: end.usage.output };
      await recordTokens(deps, prompt, end.usage, log);
      await Promise.all([
        writer.event(end.done),
        recordBatchItemEnd(deps, prompt, 'succeeded', log),
      ]);
      log.info({ steps: end.done.steps, usage: end.usage }, 'prompt succeeded');
      return 'succeeded';
    }
    const input = await loadPromptInput(db, deps.blobs, prompt, signal);
    let completed: CompletedResponse;
    for (;;) {
      let streamed = false;
      try {
        const key = await keyOf(choice.model);
        const response = choice.model.prompt(prompt.prompt, {
          system: prompt.system ?? undefined,
          attachments: input.attachments,
          options: prompt.options,
          schema: schema?.content,
          history: input.history,
          signal,
          attempt: run.attempt,
          stream: true,
          key,
        });
        for await (const event of response.events()) {
          // A prompt without tools (the only kind that comes here) makes no calls; were a
          // plugin to yield one, it is no text, so it stays out of the log's chunks.
          if (event.type === 'tool_call') continue;
          if (!streamed && event.chunk && observed) {
            observed.observer.firstChunk(observed.model as string, Date.now() - observed.started);
          }
          streamed ||= event.chunk !== '';
          if (event.type === 'reasoning') writer.reasoning(event.chunk);
          else writer.chunk(event.chunk);
        }
        completed = await response;
        break;
      } catch (error) {
        // A prompt too long for this model's context, or one a fallback cannot take, goes to
        // the next model at once, within this attempt.
        const next =
          !streamed && refusedBeforeAnswering(error, choice)
            ? nextModel(models, primary, choice, error, fallbacks)
            : undefined;
        if (!next) throw error;
        log.warn({ model: next.model.modelId, reason: next.fallbackReason }, 'falling back');
        choice = next;
      }
    }
    const text = completed.text();
    const usage = completed.usage();
    // Priced at the model that answered: a fallback costs its own prices.
    const spend = responseSpendOf(deps.prices, choice.model.modelId, usage, 'realtime');
    // Checked before anything is stored: a mismatch settles as a failed attempt, retried while
    // the schema's retries last, so the row never holds an answer that is not its data (the
    // failure's write counts what the refused answer cost).
    const data = schema
      ? checkAnswer(spend, () =>
          matchSchema(text, schema.validate, {
            // Only earlier mismatches count: an attempt that failed otherwise (a 5xx) spent none.
            retryable: prompt.schemaMismatches < (deps.schemaRetries ?? 1),
          }),
        )
      : undefined;
    // Every chunk is in the log before the answer is stored: a log whose final flush failed
    // never ends with `done`, and the retry replays the whole text.
    await writer.flush();
    if (observed) observed.usage = { input: usage.input, output: usage.output };
    const written = await deps.attempts.complete(run.promptId, run.attempt, {
      response: text,
      responseJson: completed.json(),
      promptJson: await describeMessages(completed.prompt.messages),
      inputTokens: usage.input,
      outputTokens: usage.output,
      tokenDetails: usage.details as Record<string, unknown> | null,
      durationMs: completed.durationMs(),
      datetimeUtc: new Date(completed.datetimeUtc()),
      // A fallback's answer names the model that gave it, even when its plugin does not.
      resolvedModel: completed.resolvedModel ?? (choice.index > 0 ? choice.model.modelId : null),
      data: schema ? data : null,
      reasoning: completed.reasoning() || null,
      fallbackReason: choice.fallbackReason ?? null,
      spend,
    });
    if (!written) {
      log.warn('answer not stored: the prompt was cancelled or a later attempt owns it');
      return 'skipped';
    }
    await recordTokens(deps, prompt, usage, log);
    // The batch's item stream hears of the end while followers get `done`.
    await Promise.all([
      writer.event({
        type: 'done',
        status: 'succeeded',
        usage,
        duration_ms: completed.durationMs(),
        ...(schema ? { data } : {}),
      }),
      recordBatchItemEnd(deps, prompt, 'succeeded', log),
    ]);
    log.info({ durationMs: completed.durationMs(), usage }, 'prompt succeeded');
    return 'succeeded';
  } catch (error) {
    return await settleFailure(deps, { ...run, signal }, writer, error, log);
  } finally {
    clearTimeout(timer);
    run.signal.removeEventListener('abort', forwardAbort);
  }
}
