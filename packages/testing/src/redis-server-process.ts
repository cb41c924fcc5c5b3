import { type ServiceProcess, startCommandProcess } from './child-process.ts';

/**
 * A redis-server of the test's own on `port`, keeping its files in `folder`: `persistent` keeps
 * every write on disk (AOF, fsync always) as a production one would; otherwise it keeps
 * nothing, and a restart comes back empty.
 */
export async function startRedisServer(
  port: number,
  folder: string,
  options: { readonly persistent: boolean },
): Promise<ServiceProcess> {
  const persistence = options.persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const redis = startCommandProcess(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, ...persistence, '--save', ''],
    {},
  );
  await redis.waitForLine(/Ready to accept connections/);
  return redis;
}
