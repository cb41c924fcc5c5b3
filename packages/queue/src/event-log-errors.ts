import { type FailureTraits, LlmqError } from '@llmq/core';

/** The log an append meant to continue is gone from Redis: its writer must write it anew. */
export class EventLogLostError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'event-log-lost',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'EventLogLostError';

  constructor(jobId: string) {
    super(`The event log of ${jobId} is gone from Redis (it lost its data): it is written anew`);
  }
}

/** A later attempt of the job has written to its log: this attempt's run is over. */
export class EventLogSupersededError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'event-log-superseded',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'EventLogSupersededError';

  constructor(jobId: string, attempt: number) {
    super(`A later attempt than ${attempt} writes the event log of ${jobId}: this one steps aside`);
  }
}
