import { connect, type Socket } from 'node:net';
import { type FailureTraits, LlmqError } from '@llmq/core';

/** The connection settings postgres.js hands a `socket` factory. */
export interface PostgresSocketOptions {
  readonly host: readonly string[];
  readonly port: readonly number[];
  readonly path?: string | false | undefined;
}

/** PostgreSQL (or what stands in front of it) closed the connection before it said a word. */
export class ConnectionClosedEarlyError extends LlmqError {
  /** Its code is postgres.js's own for a closed connection, which the driver's callers know. */
  static override readonly failure: FailureTraits = {
    code: 'CONNECTION_CLOSED',
    blame: 'service',
    retryable: true,
    edge: 'http',
  };
  override readonly name = 'ConnectionClosedEarlyError';
}

/**
 * A socket factory for postgres.js that turns a connection closed before the server answered
 * into an error. postgres.js treats such a clean close as "try again", and retries the query's
 * connection forever: behind a proxy whose database is gone (docker-proxy, a TCP load balancer),
 * which accepts and at once closes, every request waited with no end. As an error, the waiting
 * query fails at once and the api answers 503.
 */
export function postgresSocketFactory(): (options: PostgresSocketOptions) => Socket {
  let next = 0;
  return (options) => {
    const index = next++ % Math.max(options.host.length, 1);
    const socket = options.path
      ? connect(options.path)
      : connect(options.port[index] ?? options.port[0] ?? 5432, options.host[index] ?? 'localhost');
    let answered = false;
    socket.once('data', () => {
      answered = true;
    });
    socket.once('end', () => {
      if (!answered) {
        socket.destroy(
          new ConnectionClosedEarlyError(
            'The database server closed the connection before answering',
          ),
        );
      }
    });
    return socket;
  };
}
