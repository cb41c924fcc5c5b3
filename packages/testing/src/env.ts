/** Where the test fixtures find the machine's services; the defaults are this machine's. */
export const testEnvironment = {
  /** A PostgreSQL URL of a database the tests may create other databases from. */
  postgresAdminUrl: process.env.LLMQ_TEST_POSTGRES_URL ?? 'postgres://127.0.0.1:5432/postgres',
  redisUrl: process.env.LLMQ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** The environment this process was given, which child processes inherit. */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
