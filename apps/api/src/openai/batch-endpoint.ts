/** The endpoints a facade batch runs: every line of a batch is a request to its endpoint. */
export type BatchEndpoint = '/v1/chat/completions' | '/v1/responses';

/** The endpoint a request URL or `endpoint` field names, in its `/v1` form. */
export function batchEndpointOf(url: string): BatchEndpoint {
  return url.endsWith('/responses') ? '/v1/responses' : '/v1/chat/completions';
}

/** The endpoint a stored batch runs (batches made before endpoints were kept ran chat). */
export function endpointOfBatch(endpoint: string | null | undefined): BatchEndpoint {
  return endpoint === '/v1/responses' ? '/v1/responses' : '/v1/chat/completions';
}
