import type { ErrorInfo, PromptEvent, UsageBody } from '@llmq/contracts';

export type AnswerPhase = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface AnswerState {
  readonly phase: AnswerPhase;
  readonly attempt: number;
  readonly text: string;
  /** The reasoning streamed apart from the answer, shown folded. */
  readonly reasoning: string;
  /** The answer as JSON, for a prompt with a schema. */
  readonly data: unknown;
  readonly usage: UsageBody | null;
  readonly durationMs: number | null;
  readonly error: ErrorInfo | null;
}

export const initialAnswerState: AnswerState = {
  phase: 'queued',
  attempt: 0,
  text: '',
  reasoning: '',
  data: null,
  usage: null,
  durationMs: null,
  error: null,
};

/**
 * The answer after one more event of its stream. A `restart` starts a new attempt: the text of
 * the attempt before is dropped, since the new attempt streams its answer from the start.
 */
export function applyPromptEvent(state: AnswerState, event: PromptEvent): AnswerState {
  switch (event.type) {
    case 'status':
      return { ...state, phase: event.status, attempt: event.attempt };
    case 'chunk':
      return { ...state, phase: 'running', text: state.text + event.text };
    case 'reasoning':
      return { ...state, phase: 'running', reasoning: state.reasoning + event.text };
    case 'restart':
      return { ...state, phase: 'running', attempt: event.attempt, text: '', reasoning: '' };
    case 'done':
      return {
        ...state,
        phase: 'succeeded',
        usage: event.usage,
        durationMs: event.duration_ms,
        data: event.data ?? null,
      };
    case 'error':
      return { ...state, phase: event.status, error: event.error };
  }
}

export function isFinished(phase: AnswerPhase): boolean {
  return phase === 'succeeded' || phase === 'failed' || phase === 'cancelled';
}
