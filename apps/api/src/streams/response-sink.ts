import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SharedFrame } from './shared-frame.ts';

/** What a sink writes: text, or a frame whose wire bytes are made once for all its clients. */
export type Frame = string | SharedFrame;

/** Where streamed frames go: a Node response written to directly. */
export interface FrameSink {
  /** Write a frame; resolves when the client can take more (backpressure). */
  write(frame: Frame): Promise<void>;
  /**
   * Write a frame now, without waiting. A client that falls more than `maxBufferedBytes` behind
   * is disconnected (it resumes with Last-Event-ID and reads what it missed from the log).
   */
  push(frame: Frame): void;
  /** Write the last frame and end the response, in one write to the socket where it can. */
  finish(frame: Frame): void;
  readonly signal: AbortSignal;
}

/**
 * Why a sink stops: one reason for all (`abort()` without one builds a DOMException with its
 * stack for each of the thousands of streams that can end in the same moment).
 */
const responseClosed = new Error('The response was closed');

/** Buffered output beyond which a live client is dropped rather than buffered for. */
const maxBufferedBytes = 1024 * 1024;

/** A sink of this module: it can also write what was pushed at once (before the response ends). */
export interface ResponseFrameSink extends FrameSink {
  /** Write the frames pushed and not yet written, now. */
  flush(): void;
}

/**
 * The flushes of the sinks pushed to in this tick. Frames pushed in the same tick (every entry
 * one read from the Redis subscriber brings, which is several per prompt when the process is
 * behind) leave in one socket write per client, once the tick's work is done: a write costs a
 * system call whatever its size, most of a delivery's CPU.
 */
const pendingFlushes: Array<() => void> = [];

function flushPending(): void {
  // A flush may schedule another (a push made while flushing): it runs in this loop too. The
  // list is emptied even when a flush throws, so later pushes schedule their flush again.
  try {
    for (let index = 0; index < pendingFlushes.length; index++) pendingFlushes[index]?.();
  } finally {
    pendingFlushes.length = 0;
  }
}

function scheduleFlush(flush: () => void): void {
  if (pendingFlushes.length === 0) process.nextTick(flushPending);
  pendingFlushes.push(flush);
}

/**
 * A sink over a Node `ServerResponse`, with backpressure and client-gone detection. The headers
 * are sent at once. A chunked HTTP/1.1 body is then written straight to the socket, one
 * pre-framed chunk per frame: `ServerResponse.write` costs four socket writes and a tick per
 * frame, which is most of the api's work when one entry fans out to thousands of clients.
 * Pushed frames wait for the end of the tick, and those of one tick leave in one write.
 */
export function responseSink(response: ServerResponse): ResponseFrameSink {
  const controller = new AbortController();
  // Read once, and its state kept here too: the signal's getters check their receiver on every
  // call, and the hot paths run once per frame per client.
  const signal = controller.signal;
  let closed = false;
  const close = () => {
    closed = true;
    controller.abort(responseClosed);
  };
  response.on('close', close);
  // A client that left before the sink was made has already closed the response.
  if (response.destroyed || response.socket?.destroyed === true) close();
  const socket = chunkedSocket(response);
  const send = socket
    ? (frame: Frame) =>
        socket.write(frame instanceof SharedFrame ? frame.chunk : SharedFrame.chunkOf(frame))
    : (frame: Frame) => response.write(frame instanceof SharedFrame ? frame.text : frame);
  const sendMany = socket
    ? (frames: readonly Frame[]) =>
        socket.write(
          Buffer.concat(
            frames.map((frame) =>
              frame instanceof SharedFrame ? frame.chunk : SharedFrame.chunkOf(frame),
            ),
          ),
        )
    : (frames: readonly Frame[]) =>
        response.write(
          frames.map((frame) => (frame instanceof SharedFrame ? frame.text : frame)).join(''),
        );
  const stream = socket ?? response;
  let pending: Frame | Frame[] | undefined;
  // The frames pushed and not yet written, taken out (the last one added when given).
  const takePending = (last?: Frame): Frame | Frame[] | undefined => {
    const frames = pending;
    pending = undefined;
    if (last === undefined) return frames;
    if (frames === undefined) return last;
    if (Array.isArray(frames)) {
      frames.push(last);
      return frames;
    }
    return [frames, last];
  };
  const sendFrames = (frames: Frame | Frame[]) =>
    Array.isArray(frames) ? sendMany(frames) : send(frames);
  const flush = () => {
    const frames = takePending();
    // Ended (by `finish`, or `end()` elsewhere): a frame now would land between two
    // responses on a kept connection, or fail as a write after end.
    if (frames === undefined || closed || response.writableEnded) return;
    sendFrames(frames);
    if (stream.writableLength > maxBufferedBytes) {
      close();
      response.destroy();
    }
  };
  return {
    signal,
    flush,
    push: (frame) => {
      if (closed || response.writableEnded) return;
      if (pending === undefined) {
        pending = frame;
        scheduleFlush(flush);
      } else if (Array.isArray(pending)) {
        pending.push(frame);
      } else {
        pending = [pending, frame];
      }
    },
    finish: (frame) => {
      if (closed || response.writableEnded) return;
      const frames = takePending(frame) ?? frame;
      if (socket) {
        // The frames and the body's last chunk leave in one write, shared by every client of
        // the entry: thousands of streams end together (one prompt's followers, a batch). The
        // response is then told its body is not chunked, so that `end()` writes nothing more
        // and ends it as Node does (keep-alive, the next request on the connection).
        socket.write(
          Array.isArray(frames)
            ? SharedFrame.finalChunkOfMany(frames)
            : frames instanceof SharedFrame
              ? frames.finalChunk
              : SharedFrame.finalChunkOf(frames),
        );
        response.chunkedEncoding = false;
        response.end();
        return;
      }
      sendFrames(frames);
      response.end();
    },
    write: async (frame) => {
      if (closed || response.writableEnded) return;
      if (sendFrames(takePending(frame) ?? frame)) return;
      await new Promise<void>((resume) => {
        const done = () => {
          stream.off('drain', done);
          signal.removeEventListener('abort', done);
          resume();
        };
        stream.on('drain', done);
        signal.addEventListener('abort', done);
      });
    },
  };
}

/**
 * The socket a response's chunked body may be written to directly, once its headers are out:
 * none for a body that is not chunked (HTTP/1.0, a set length, HEAD: Node says so), or while
 * the response waits behind an earlier one on a pipelined connection (it has no socket yet, and
 * Node buffers its output until it does). `end()` still writes the last chunk.
 */
function chunkedSocket(response: ServerResponse): Socket | undefined {
  if (response.destroyed) return undefined;
  response.flushHeaders();
  if (!response.chunkedEncoding) return undefined;
  const socket = response.socket;
  return socket && !socket.destroyed && socket.writable ? socket : undefined;
}
