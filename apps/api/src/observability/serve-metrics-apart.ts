import { type LlmqMetrics, type MetricsServer, startMetricsServer } from '@llmq/metrics';
import type { Logger } from 'pino';
import type { ApiEnvironment } from '../env.ts';

/**
 * With LLMQ_METRICS_ACCESS=port, the api's metrics on a port of their own, without a key, as a
 * worker's are: Prometheus reaches that port inside the cluster, and the api's public port
 * serves no `/metrics` at all. Its `/healthz` answers while the process runs.
 */
export async function serveMetricsApart(
  environment: Pick<
    ApiEnvironment,
    'LLMQ_METRICS_ACCESS' | 'LLMQ_METRICS_PORT' | 'LLMQ_METRICS_HOST'
  >,
  metrics: LlmqMetrics,
  logger: Logger,
): Promise<MetricsServer | undefined> {
  if (environment.LLMQ_METRICS_ACCESS !== 'port') return undefined;
  let server: MetricsServer;
  try {
    server = await startMetricsServer(metrics, {
      port: environment.LLMQ_METRICS_PORT,
      host: environment.LLMQ_METRICS_HOST,
      healthy: () => true,
    });
  } catch (error) {
    // The api still serves: say so and go on, as a worker does.
    logger.error(
      { err: error, port: environment.LLMQ_METRICS_PORT },
      `metrics not served: ${(error as Error).message}`,
    );
    return undefined;
  }
  logger.info(
    { url: `http://${environment.LLMQ_METRICS_HOST}:${server.port}/metrics` },
    'metrics served on a port of their own (LLMQ_METRICS_ACCESS=port)',
  );
  return server;
}
