/** A route's example request and response, as the OpenAPI document shows them. */
export interface RouteExample {
  readonly request?: unknown;
  readonly response?: unknown;
}
