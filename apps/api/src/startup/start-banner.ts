/** What a start settled, for the person who ran `npm start`. */
export interface StartFacts {
  /** The listening URL, as `http://host:port`. */
  readonly url: string;
  /** Whether the console's build is there to be served at `/`. */
  readonly console: boolean;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string;
  /** Whether that Redis is a private redis-server kept in the data folder. */
  readonly privateRedis: boolean;
  readonly storageUrl: string | undefined;
  /** The data folder's real path, when this process uses one (PGlite, blobs or Redis there). */
  readonly dataFolder: string | undefined;
  readonly embeddedWorker: boolean;
  readonly authentication: boolean;
}

/** A URL without its user, password and query: a place to name, never a secret to print. */
export function placeOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(a URL that does not parse)';
  }
}

function modeLines(facts: StartFacts): Array<[string, string]> {
  const redis = facts.privateRedis
    ? `a private redis-server (${placeOf(facts.redisUrl)}), its data in the data folder`
    : placeOf(facts.redisUrl);
  const storage = facts.storageUrl ? placeOf(facts.storageUrl) : 'files in the data folder';
  const worker = facts.embeddedWorker ? 'inside this process' : 'separate processes (apps/worker)';
  if (!facts.databaseUrl) {
    return [
      ['Mode', 'laptop: embedded PGlite database'],
      ['Data', facts.dataFolder ?? '(none)'],
      ['Redis', redis],
      ['Blobs', storage],
      ['Worker', worker],
    ];
  }
  return [
    ['Mode', `fleet: PostgreSQL at ${placeOf(facts.databaseUrl)}`],
    ['Redis', redis],
    ['Blobs', storage],
    ['Worker', worker],
    ...(facts.dataFolder ? ([['Data', facts.dataFolder]] as Array<[string, string]>) : []),
  ];
}

/**
 * The banner a terminal shows at start: where to go (console, docs, the OpenAI base URL), how
 * this start runs and where its data lives. Logs that follow are for what happens next.
 */
export function startBanner(facts: StartFacts): string {
  const rows: Array<[string, string]> = [
    ...(facts.console ? ([['Console', `${facts.url}/`]] as Array<[string, string]>) : []),
    ['API docs', `${facts.url}/docs`],
    ['OpenAPI', `${facts.url}/openapi.json`],
    ['OpenAI base', `${facts.url}/openai/v1`],
    ...modeLines(facts),
    [
      'Auth',
      facts.authentication
        ? 'on: requests need an API key'
        : 'off: no API keys, loopback only (set LLMQ_API_KEYS to turn it on)',
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `llmq is running at ${facts.url}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    'Stop it with Ctrl-C.',
    '',
  ].join('\n');
}
