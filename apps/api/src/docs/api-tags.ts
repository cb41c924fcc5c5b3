/** The groups of /docs, in the order a newcomer needs them: the daily routes first, admin last. */
export const apiTags = [
  { name: 'Prompts', description: 'Queue a prompt, read it, list and search, cancel.' },
  {
    name: 'Streams',
    description:
      'Follow a prompt or a batch live (Server-Sent Events), and tokens for EventSource.',
  },
  { name: 'Attachments', description: 'Upload files once (by content hash) and use them by id.' },
  { name: 'Batches', description: 'One prompt over many items: progress, results, retry.' },
  { name: 'Conversations', description: 'Prompts that continue each other, turn by turn.' },
  { name: 'Schemas', description: 'JSON Schemas prompts and batches answered in, stored by hash.' },
  { name: 'Models', description: 'The models this server runs, their options and attachments.' },
  {
    name: 'Tools',
    description: 'The tools prompts can offer models: the plugins’ and MCP servers’.',
  },
  {
    name: 'Usage',
    description: 'Spend and tokens per day, model, key and owner, at the models’ prices.',
  },
  {
    name: 'Webhooks',
    description:
      'Deliveries of prompts’ and batches’ ends to their webhooks, with every attempt; the signing secret.',
  },
  {
    name: 'OpenAI-compatible',
    description:
      'OpenAI’s routes and formats at /openai/v1, for OpenAI clients (base URL http://host:port/openai/v1); every call is a stored, queued prompt.',
  },
  { name: 'Health and metrics', description: 'Liveness, readiness and Prometheus metrics.' },
  { name: 'Docs', description: 'This page and the OpenAPI document it shows.' },
  {
    name: 'Admin',
    description:
      'Owner keys and owners’ limits, provider keys and the queue dashboard: admin keys only (except GET /v1/limits, where any key reads its own).',
  },
] as const;

export type ApiTag = (typeof apiTags)[number]['name'];

/** Path prefixes and their group, the first that matches wins: more specific ones come first. */
const tagRules: ReadonlyArray<{
  readonly matches: (path: string) => boolean;
  readonly tag: ApiTag;
}> = [
  { matches: (path) => /\/(stream|token)$/.test(path), tag: 'Streams' },
  { matches: (path) => path.startsWith('/openai/'), tag: 'OpenAI-compatible' },
  { matches: (path) => path.startsWith('/v1/prompts'), tag: 'Prompts' },
  { matches: (path) => path.startsWith('/v1/attachments'), tag: 'Attachments' },
  { matches: (path) => path.startsWith('/v1/batches'), tag: 'Batches' },
  { matches: (path) => path.startsWith('/v1/conversations'), tag: 'Conversations' },
  { matches: (path) => path.startsWith('/v1/schemas'), tag: 'Schemas' },
  { matches: (path) => path.startsWith('/v1/models'), tag: 'Models' },
  { matches: (path) => path.startsWith('/v1/tools'), tag: 'Tools' },
  { matches: (path) => path === '/v1/usage', tag: 'Usage' },
  { matches: (path) => path.startsWith('/v1/webhook'), tag: 'Webhooks' },
  {
    matches: (path) => ['/healthz', '/readyz', '/metrics'].includes(path),
    tag: 'Health and metrics',
  },
  { matches: (path) => path === '/docs' || path === '/openapi.json', tag: 'Docs' },
  {
    matches: (path) =>
      path.startsWith('/v1/keys') ||
      path.startsWith('/v1/owners/') ||
      path === '/v1/limits' ||
      path.startsWith('/v1/provider-keys') ||
      path.startsWith('/v1/admin') ||
      path.startsWith('/admin/'),
    tag: 'Admin',
  },
];

/**
 * The group of a path. Tags are given here, by path, rather than in each route's definition:
 * one place keeps the groups and their order consistent as routes are added.
 */
export function tagOfPath(path: string): ApiTag | undefined {
  return tagRules.find((rule) => rule.matches(path))?.tag;
}
