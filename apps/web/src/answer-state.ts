import type {
  ErrorInfo,
  PromptEvent,
  ToolCallBody,
  ToolResultBody,
  UsageBody,
} from '@llmq/contracts';

export type AnswerPhase = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * A piece of the answer in the order it streamed: a chain of tool calls streams each model
 * call's text, its calls after it and their results before the next model call's text.
 */
export type AnswerPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'tool_call'; readonly step: number; readonly call: ToolCallBody }
  | { readonly kind: 'tool_result'; readonly step: number; readonly result: ToolResultBody };

export interface AnswerState {
  readonly phase: AnswerPhase;
  readonly attempt: number;
  /** The text of every model call, joined. */
  readonly text: string;
  /** The text and tool runs in order; the text of consecutive chunks is one part. */
  readonly parts: readonly AnswerPart[];
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
  parts: [],
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
      return {
        ...state,
        phase: 'running',
        text: state.text + event.text,
        parts: withText(state.parts, event.text),
      };
    case 'reasoning':
      return { ...state, phase: 'running', reasoning: state.reasoning + event.text };
    case 'tool_call':
      return {
        ...state,
        phase: 'running',
        parts: [...state.parts, { kind: 'tool_call', step: event.step, call: event.call }],
      };
    case 'tool_result':
      return {
        ...state,
        phase: 'running',
        parts: [...state.parts, { kind: 'tool_result', step: event.step, result: event.result }],
      };
    case 'restart':
      return {
        ...state,
        phase: 'running',
        attempt: event.attempt,
        text: '',
        parts: [],
        reasoning: '',
      };
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

/** The parts with a chunk added: to the text part at the end, else as a new one. */
function withText(parts: readonly AnswerPart[], text: string): readonly AnswerPart[] {
  if (text === '') return parts;
  const last = parts.at(-1);
  if (last?.kind === 'text')
    return [...parts.slice(0, -1), { kind: 'text', text: last.text + text }];
  return [...parts, { kind: 'text', text }];
}

export function isFinished(phase: AnswerPhase): boolean {
  return phase === 'succeeded' || phase === 'failed' || phase === 'cancelled';
}
