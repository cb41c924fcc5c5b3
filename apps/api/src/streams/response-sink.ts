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

/**
 * A sink over a Node `ServerResponse`, with backpressure and client-gone detection. The headers
 * are sent at once. A chunked HTTP/1.1 body is then written straight to the socket, one
 * pre-framed chunk per frame: `ServerResponse.write` costs four socket writes and a tick per
 * frame, which is most of the api's work when one entry fans out to thousands of clients.
 */
export function responseSink(response: ServerResponse): FrameSink {
  const controller = new AbortController();
  response.on('close', () => controller.abort(responseClosed));
  // A client that left before the sink was made has already closed the response.
  if (response.destroyed || response.socket?.destroyed === true) controller.abort(responseClosed);
  const socket = chunkedSocket(response);
  const send = socket
    ? (frame: Frame) =>
        socket.write(frame instanceof SharedFrame ? frame.chunk : SharedFrame.chunkOf(frame))
    : (frame: Frame) => response.write(frame instanceof SharedFrame ? frame.text : frame);
  const stream = socket ?? response;
  let finished = false;
  return {
    signal: controller.signal,
    push: (frame) => {
      if (controller.signal.aborted || finished) return;
      send(frame);
      if (stream.writableLength > maxBufferedBytes) {
        controller.abort(responseClosed);
        response.destroy();
      }
    },
    finish: (frame) => {
      if (controller.signal.aborted || finished || response.writableEnded) return;
      finished = true;
      // Corked, the frame and the body's last chunk leave in one write: thousands of streams
      // ending together (one prompt's followers, a batch) cost half the system calls.
      socket?.cork();
      send(frame);
      response.end();
      socket?.uncork();
    },
    write: async (frame) => {
      if (controller.signal.aborted || finished) return;
      if (send(frame)) return;
      await new Promise<void>((resume) => {
        const done = () => {
          stream.off('drain', done);
          controller.signal.removeEventListener('abort', done);
          resume();
        };
        stream.on('drain', done);
        controller.signal.addEventListener('abort', done);
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
