// Runs s3rver in a process of its own, so its memory never counts against the measured side.
import { startLocalS3Server } from '@llmq/testing';

const server = await startLocalS3Server();
process.stdout.write(
  `${JSON.stringify({ endpoint: server.endpoint, storageUrl: server.storageUrl('bench', { createBucket: 'true' }) })}\n`,
);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
