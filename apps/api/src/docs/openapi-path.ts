/** Hono's `/v1/prompts/:id` and `/models/:model{.+}` as OpenAPI writes them: `{id}`, `{model}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
}
