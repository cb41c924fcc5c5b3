/** The endpoints a facade batch runs: every line of a batch is a request to its endpoint. */
export type BatchEndpoint = '/v1/chat/completions' | '/v1/responses';

/**
 * The batch metadata key that says a batch runs `/v1/responses` (a batch without it runs chat
 * completions): llmq's batches have no endpoint column, so the facade keeps it among the
 * metadata, hides it from the batch it shows and refuses it from clients.
 */
export const endpointMetadataKey = 'llmq_endpoint';

/** The endpoint a request URL or `endpoint` field names, in its `/v1` form. */
export function batchEndpointOf(url: string): BatchEndpoint {
  return url.endsWith('/responses') ? '/v1/responses' : '/v1/chat/completions';
}

/** The endpoint a stored batch runs, from its metadata. */
export function endpointOfBatch(
  metadata: Readonly<Record<string, string>> | null | undefined,
): BatchEndpoint {
  return metadata?.[endpointMetadataKey] === '/v1/responses'
    ? '/v1/responses'
    : '/v1/chat/completions';
}

/** A batch's metadata as the client gave it. */
export function clientMetadata(
  metadata: Readonly<Record<string, string>> | null | undefined,
): Record<string, string> | null {
  if (!metadata) return null;
  const { [endpointMetadataKey]: _endpoint, ...rest } = metadata;
  return Object.keys(rest).length > 0 || !(endpointMetadataKey in metadata) ? rest : null;
}
