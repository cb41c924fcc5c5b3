import type { Tool, ToolCall, ToolResult } from '@llmq/core';
import { argumentsMismatch } from './tool-arguments.ts';
import type { ToolLimits } from './tool-limits.ts';

/** Why a tool call gave no output of its own: llm's `exception`, `Class: message`. */
function errorResult(call: ToolCall, kind: string, rawMessage: string): ToolResult {
  const message = rawMessage.replaceAll('\u0000', '\uFFFD');
  return {
    toolCallId: call.id,
    name: call.name,
    output: `Error: ${message}`,
    exception: `${kind}: ${message}`,
  };
}

/**
 * Run one call of a server tool, as llm's chain does: arguments checked against the tool's
 * schema first, its output as text (strings as they are, anything else as JSON), and a tool
 * that throws, runs past its time or answers more than its size limit gives a result that
 * says so, which the model is shown. Only the prompt's own abort (a cancel, a shutdown) throws.
 */
export async function runTool(
  tool: Tool,
  call: ToolCall,
  context: { readonly signal: AbortSignal; readonly attempt: number; readonly limits: ToolLimits },
): Promise<ToolResult> {
  context.signal.throwIfAborted();
  const implementation = tool.implementation;
  if (typeof implementation !== 'function') {
    return errorResult(call, 'ToolError', `Tool ${call.name} has no implementation on the server`);
  }
  const mismatch = argumentsMismatch(tool, call.arguments);
  if (mismatch !== undefined) {
    return errorResult(
      call,
      'ToolArgumentsError',
      `Arguments for tool ${call.name} do not match its input schema: ${mismatch}`,
    );
  }
  const timeoutMs = tool.timeoutMs ?? context.limits.timeoutMs;
  const maxBytes = tool.maxOutputBytes ?? context.limits.maxOutputBytes;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([context.signal, timeout]);
  let output: unknown;
  try {
    output = await untilAborted(
      Promise.resolve().then(() =>
        implementation.call(tool, call.arguments, {
          toolCallId: call.id,
          signal,
          attempt: context.attempt,
        }),
      ),
      signal,
    );
  } catch (error) {
    context.signal.throwIfAborted();
    if (timeout.aborted) {
      return errorResult(
        call,
        'ToolTimeoutError',
        `Tool ${call.name} did not answer within ${timeoutMs} ms`,
      );
    }
    const kind = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return errorResult(call, kind, message);
  }
  // PostgreSQL's text cannot hold NUL: it becomes U+FFFD, as a lossy decoder would show it.
  const text = (typeof output === 'string' ? output : (JSON.stringify(output) ?? '')).replaceAll(
    '\u0000',
    '\uFFFD',
  );
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    return errorResult(
      call,
      'ToolOutputTooLargeError',
      `Tool ${call.name} answered ${bytes} bytes; the limit is ${maxBytes}`,
    );
  }
  return { toolCallId: call.id, name: call.name, output: text };
}

/** The promise's outcome, or the signal's reason as soon as it aborts (a tool may ignore it). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
