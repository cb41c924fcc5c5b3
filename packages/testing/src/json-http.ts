import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error body in OpenAI's shape. */
export function errorBody(
  message: string,
  type = 'invalid_request_error',
  extra: { param?: string | null; code?: string | null } = {},
): unknown {
  return { error: { message, type, param: extra.param ?? null, code: extra.code ?? null } };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
