/**
 * The typed errors of the plugin SDK. Each has a stable `name` (stored as a failed prompt's
 * `error_kind`, so the names must never change) and the traits of the failure taxonomy.
 */

import { keyHelp } from './key-help.ts';
import { type FailureTraits, LlmqError } from './llmq-error.ts';

/** Lookup of a model id or alias that no plugin registered. */
export class UnknownModelError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'unknown-model',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'UnknownModelError';
  readonly model: string;

  constructor(model: string) {
    super(`Unknown model: ${model}`);
    this.model = model;
  }
}

/** An attachment that the model does not accept. */
export class AttachmentTypeError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'unsupported-attachment-type',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'AttachmentTypeError';
  /** The resolved type that was refused; undefined when the model takes no attachments at all. */
  readonly type: string | undefined;
  readonly accepted: readonly string[];

  constructor(message: string, type: string | undefined, accepted: readonly string[]) {
    super(message);
    this.type = type;
    this.accepted = accepted;
  }
}

/** An attachment whose type or bytes cannot be determined or fetched. */
export class AttachmentError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'attachment-unreadable',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'AttachmentError';
}

export interface OptionIssue {
  /** Dotted path of the option, e.g. `temperature`; empty for the options object itself. */
  readonly path: string;
  readonly message: string;
}

/** Options that fail the model's options schema: unknown keys or bad values. */
export class OptionsError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'invalid-options',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'OptionsError';
  readonly issues: readonly OptionIssue[];

  constructor(message: string, issues: readonly OptionIssue[]) {
    super(message);
    this.issues = issues;
  }
}

/** A model that needs an API key and was given none. */
export class NeedsKeyError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'model-needs-key',
    blame: 'service',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'NeedsKeyError';
  readonly keyEnvVar: string | undefined;
  /** The key's name (`openai`), under which llmq stores it. */
  readonly keyName: string | undefined;

  constructor(modelId: string, keyEnvVar: string | undefined, keyName?: string) {
    super(`No key found for model ${modelId}: ${keyHelp(keyName, keyEnvVar)}`);
    this.keyEnvVar = keyEnvVar;
    this.keyName = keyName;
  }
}

export interface ModelErrorDetails {
  /** Whether running the same prompt again may succeed (rate limits, 5xx, network failures). */
  readonly retryable: boolean;
  /** How long the provider asked us to wait before trying again, when it said. */
  readonly retryAfterMs?: number | undefined;
  /** The provider's HTTP status, when the failure came from one. */
  readonly status?: number | undefined;
  /** The provider refused the prompt as longer than the model's context: a fallback may fit. */
  readonly contextExceeded?: boolean | undefined;
  readonly cause?: unknown;
}

/** A failure inside a model's `execute()`, classified for the queue's retry policy. */
export class ModelError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'model-failed',
    blame: 'provider',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'ModelError';
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly contextExceeded: boolean;

  constructor(message: string, details: ModelErrorDetails) {
    // The provider's answer says whether it is worth another attempt, not the class.
    super(message, { cause: details.cause, retryable: details.retryable });
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
    this.contextExceeded = details.contextExceeded ?? false;
  }
}

/** A prompt with a schema for a model that cannot answer to one (llm's `supports_schema`). */
export class SchemaNotSupportedError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'schema-not-supported',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'SchemaNotSupportedError';
  readonly model: string;
  /** The models that do support schemas, when the caller knows them (the registry does). */
  readonly supportingModels: readonly string[];

  constructor(model: string, supportingModels: readonly string[] = []) {
    super(
      supportingModels.length > 0
        ? `Model ${model} does not support schemas; models that do: ${supportingModels.join(', ')}`
        : `Model ${model} does not support schemas`,
    );
    this.model = model;
    this.supportingModels = supportingModels;
  }
}

/**
 * An answer to a prompt with a schema that is not JSON or does not match the schema. Another
 * attempt may well match (models are not deterministic), so it is retryable; the engine bounds
 * how often.
 */
export class SchemaMismatchError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'schema-mismatch',
    blame: 'provider',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'SchemaMismatchError';
  /** Why the answer was refused: the JSON parse error or the first validation errors. */
  readonly reason: string;

  constructor(reason: string, options?: { readonly retryable?: boolean }) {
    super(`The answer does not match the prompt's schema: ${reason}`, options);
    this.reason = reason;
  }
}

/** A plugin that could not be imported or whose registration failed. */
export class PluginError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'plugin-failed',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'PluginError';
  readonly plugin: string;

  constructor(plugin: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.plugin = plugin;
  }
}

/** A prompt with tools for a model that cannot call them (llm's `supports_tools`): 422. */
export class ToolsNotSupportedError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'tools-not-supported',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'ToolsNotSupportedError';
  readonly model: string;

  constructor(model: string) {
    super(`Model ${model} does not support tools`);
    this.model = model;
  }
}

/**
 * A tool whose definition a model cannot be given: a bad name, an input schema that is not a
 * JSON Schema object, or a name two tools of one prompt share: 422.
 */
export class ToolDefinitionError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'invalid-tool-definition',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'ToolDefinitionError';
  readonly tool: string;

  constructor(tool: string, message: string) {
    super(message);
    this.tool = tool;
  }
}

/** Lookup of a tool name that no plugin or MCP server offers: 422. */
export class UnknownToolError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'unknown-tool',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'UnknownToolError';
  readonly tool: string;

  constructor(tool: string) {
    super(`Unknown tool: ${tool}`);
    this.tool = tool;
  }
}
