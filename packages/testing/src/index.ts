export {
  type OpenAICompatibleServer,
  type OpenAICompatibleServerOptions,
  type RecordedRequest,
  type ReplyFunction,
  type ScriptedReply,
  startOpenAICompatibleServer,
} from './openai-compatible-server.ts';
export { makePng, makeWav, sampleFiles } from './sample-files.ts';
