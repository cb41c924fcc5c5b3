/** How long one tool call may run and how much it may answer, unless the tool sets its own. */
export interface ToolLimits {
  /** LLMQ_TOOL_TIMEOUT_MS. */
  readonly timeoutMs: number;
  /** LLMQ_TOOL_MAX_OUTPUT_BYTES. */
  readonly maxOutputBytes: number;
}

export const defaultToolLimits: ToolLimits = { timeoutMs: 60_000, maxOutputBytes: 1_048_576 };
