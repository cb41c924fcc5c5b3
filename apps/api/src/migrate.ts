// `migrate`: apply the database migrations and exit (the one-shot migration job of compose and
// Kubernetes). The api also migrates when it starts; running this first keeps a fleet's api
// processes from racing to do it (they would wait on one another's advisory lock).
import { migrateDatabase } from '@llmq/engine';
import { pino } from 'pino';
import { readEnvironment } from './env.ts';
import { lockDataFolder } from './startup/data-folder-lock.ts';

const logger = pino({ name: 'llmq-migrate' });
let environment: ReturnType<typeof readEnvironment>;
try {
  environment = readEnvironment();
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
try {
  // PGlite lives in the data folder, which a running api may be using.
  if (!environment.DATABASE_URL) await lockDataFolder(environment.LLMQ_DATA_DIR);
  const location = await migrateDatabase(environment.DATABASE_URL, {
    dataDir: environment.LLMQ_DATA_DIR,
    // One connection holds the migration lock while another migrates.
    maxConnections: 2,
  });
  logger.info({ database: location }, 'migrations applied');
  process.exit(0);
} catch (error) {
  logger.fatal({ err: error }, `migrations failed: ${(error as Error).message}`);
  process.exit(1);
}
