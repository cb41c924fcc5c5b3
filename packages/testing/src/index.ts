export type {
  AnthropicBatchOptions,
  AnthropicBatchRequest,
  AnthropicBatchScript,
} from './anthropic-batch-routes.ts';
export {
  type AnthropicCompatibleServer,
  type AnthropicCompatibleServerOptions,
  type AnthropicRecordedRequest,
  type AnthropicReplyFunction,
  type AnthropicScriptedReply,
  type AnthropicScriptedToolCall,
  startAnthropicCompatibleServer,
} from './anthropic-compatible-server.ts';
export { signThinking } from './anthropic-thinking-signature.ts';
export {
  type ChildEnvironment,
  type ServiceProcess,
  serviceNodeFlags,
  startCommandProcess,
  startServiceProcess,
  workerNodeFlags,
} from './child-process.ts';
export { inheritedEnvironment, testEnvironment } from './env.ts';
export { freePort } from './free-port.ts';
export { type LocalS3Server, startLocalS3Server } from './local-s3-server.ts';
export {
  type McpTestServer,
  type McpTestServerOptions,
  type McpTestTool,
  mcpTestTools,
  startMcpTestServer,
} from './mcp-test-server.ts';
export { runWatchingResolutions } from './module-resolutions.ts';
export type {
  BatchInputLine,
  BatchScript,
  OpenAIBatchOptions,
} from './openai-batch-routes.ts';
export {
  type OpenAICompatibleServer,
  type OpenAICompatibleServerOptions,
  type RecordedRequest,
  type ReplyFunction,
  type ScriptedReply,
  startOpenAICompatibleServer,
} from './openai-compatible-server.ts';
export { type PrometheusSample, parsePrometheusText, sampleValue } from './prometheus-samples.ts';
export { startRedisServer } from './redis-server-process.ts';
export { makePng, makeWav, sampleFiles } from './sample-files.ts';
export { splitBytes } from './split-bytes.ts';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { countRedisClients, createTestRedis, type TestRedis } from './test-redis.ts';
export { registerTools as registerTestTools, testTools, toolsPluginPath } from './tools-plugin.ts';
export { waitFor } from './wait-for.ts';
