import { once } from 'node:events';
import { createServer } from 'node:net';
import { type FailureTraits, LlmqError } from '@llmq/core';

/** Why the api cannot listen where it was asked to, in one line that says what to do. */
export class PortUnavailableError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'port-unavailable',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'PortUnavailableError';
}

/** The variables that set a listening address, named in the message that says what to change. */
export interface AddressVariables {
  readonly port: string;
  readonly host: string;
}

const apiAddress: AddressVariables = { port: 'PORT', host: 'HOST' };

/**
 * Listen on the port for a moment and let it go: a port in use is told before the data folder
 * is locked and the database migrated, not after (with a stack trace). Port 0 (any free port)
 * needs no check. The message names `variables`, the api's PORT and HOST unless told otherwise
 * (the metrics port's own, for instance).
 */
export async function checkPortAvailable(
  host: string,
  port: number,
  variables: AddressVariables = apiAddress,
): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    probe.listen(port, host);
    await once(probe, 'listening');
  } catch (error) {
    throw new PortUnavailableError(portProblem(host, port, variables, error));
  } finally {
    if (probe.listening) {
      probe.close();
      await once(probe, 'close');
    }
  }
}

function portProblem(
  host: string,
  port: number,
  variables: AddressVariables,
  error: unknown,
): string {
  const code = (error as NodeJS.ErrnoException).code;
  const other = port === 65_535 ? port - 1 : port + 1;
  const instead = `choose another port with ${variables.port}, for example: ${variables.port}=${other} npm start`;
  if (code === 'EADDRINUSE') {
    return `Port ${port} on ${host} is in use by another program: stop it, or ${instead}`;
  }
  if (code === 'EACCES') {
    return `Port ${port} on ${host} needs privileges this process does not have: ${instead}`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `${host} is not an address of this machine: set ${variables.host} (for example ${variables.host}=127.0.0.1)`;
  }
  return `Cannot listen on ${host}:${port} (${(error as Error).message}): ${instead}`;
}
