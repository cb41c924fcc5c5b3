import type { DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** Where the formatted lines go: the process's stdout, or a test's buffer. */
export interface TextOutput {
  write(text: string): unknown;
}

interface RequestLine {
  readonly msg: 'request';
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

function isRequestLine(log: Record<string, unknown>): log is Record<string, unknown> & RequestLine {
  return (
    log.msg === 'request' &&
    typeof log.method === 'string' &&
    typeof log.path === 'string' &&
    typeof log.status === 'number'
  );
}

/**
 * A pino destination that writes pino-pretty's lines, in this process: no transport thread,
 * which would cost the memory the api keeps low. A request's line is one short line (method,
 * path, status, time): its id and fields matter to a collector, not to a person watching.
 */
export function prettyDestination(output: TextOutput, colorize: boolean): DestinationStream {
  const common = {
    colorize,
    ignore: 'pid,hostname,name',
    translateTime: 'SYS:HH:MM:ss',
    singleLine: true,
  };
  const general = prettyFactory(common);
  const request = prettyFactory({
    ...common,
    // With no fields to show, singleLine would also drop the line's end.
    singleLine: false,
    hideObject: true,
    messageFormat: '{method} {path} {status} {durationMs}ms',
  });
  return {
    write(line: string) {
      const log = JSON.parse(line) as Record<string, unknown>;
      output.write((isRequestLine(log) ? request : general)(log));
    },
  };
}
