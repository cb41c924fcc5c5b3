import type { UploadedAttachment } from '@llmq/contracts';
import { ApiError, authorizationHeaders, renewKeyAfter } from './api-client.ts';

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

/** Files per request: the API takes up to 100 in one multipart body. */
const filesPerRequest = 25;

/**
 * Upload files to POST /v1/attachments, reporting bytes sent over all of them (fetch cannot
 * report upload progress, XMLHttpRequest can). The answers come back in the files' order.
 */
export async function uploadFiles(
  files: readonly File[],
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadedAttachment[]> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const uploaded: UploadedAttachment[] = [];
  let done = 0;
  for (let start = 0; start < files.length; start += filesPerRequest) {
    const group = files.slice(start, start + filesPerRequest);
    const groupBytes = group.reduce((sum, file) => sum + file.size, 0);
    const answer = await sendGroup(
      group,
      (loaded, sent) => {
        // The multipart body is a little larger than the files: scale to the files' bytes.
        const share = sent > 0 ? Math.min(loaded / sent, 1) : 0;
        onProgress({ loaded: done + share * groupBytes, total });
      },
      signal,
    );
    uploaded.push(...answer);
    done += groupBytes;
    onProgress({ loaded: done, total });
  }
  return uploaded;
}

async function sendGroup(
  files: readonly File[],
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<UploadedAttachment[]> {
  for (;;) {
    const body = new FormData();
    for (const file of files) body.append('file', file, file.name || 'file');
    const { status, text } = await post(body, onProgress, signal);
    if (status === 200 || status === 201) {
      return (JSON.parse(text) as { data: UploadedAttachment[] }).data;
    }
    const detail = problemText(status, text);
    if (await renewKeyAfter(status, detail)) continue;
    throw new ApiError(status, detail);
  }
}

function post(
  body: FormData,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/v1/attachments');
    for (const [name, value] of Object.entries(authorizationHeaders())) {
      request.setRequestHeader(name, value);
    }
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.addEventListener('load', () =>
      resolve({ status: request.status, text: request.responseText }),
    );
    request.addEventListener('error', () =>
      reject(new ApiError(0, 'The upload failed: the server cannot be reached')),
    );
    request.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(body);
  });
}

function problemText(status: number, text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? `The upload failed (${status})`;
  } catch {
    return `The upload failed (${status})`;
  }
}
