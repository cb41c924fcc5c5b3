import type { FrameSink } from './response-sink.ts';

/**
 * The resumable event streams (prompt and batch streams) this process is writing, so a
 * shutting-down api can end each one cleanly: a `retry:` hint, then the end of the body, and
 * the client reconnects (to another process) with `Last-Event-ID`. Chat completion streams are
 * not here: OpenAI's clients cannot resume, so they are left to finish like any request.
 */
export class OpenStreams {
  readonly #sinks = new Set<FrameSink>();
  #endFrame: string | undefined;

  /** Watch a stream while it is written; returns what forgets it. Ended at once once closing. */
  add(sink: FrameSink): () => void {
    if (this.#endFrame !== undefined) {
      sink.finish(this.#endFrame);
      return () => undefined;
    }
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  get size(): number {
    return this.#sinks.size;
  }

  /**
   * End every stream, and every one opened from now on, with a reconnection hint: EventSource
   * waits `retryMs` before it reconnects. Returns how many were open.
   */
  endAll(retryMs: number): number {
    this.#endFrame = `: this server is shutting down; reconnect with Last-Event-ID\nretry: ${retryMs}\n\n`;
    const ended = this.#sinks.size;
    for (const sink of this.#sinks) sink.finish(this.#endFrame);
    this.#sinks.clear();
    return ended;
  }
}

/** This process's resumable streams (one process, one set: it is the process that drains). */
export const openStreams = new OpenStreams();
