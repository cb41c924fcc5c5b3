import type { ModelBody } from '@llmq/contracts';

interface JsonSchemaProperty {
  type?: string | string[];
  description?: string;
  anyOf?: JsonSchemaProperty[];
}

function typeName(property: JsonSchemaProperty): string {
  if (property.type)
    return Array.isArray(property.type) ? property.type.join(' | ') : property.type;
  if (property.anyOf) return property.anyOf.map(typeName).join(' | ');
  return 'any';
}

export interface ModelListView {
  /** The model a prompt without -m goes to, marked `(default)`. */
  readonly defaultModel: ModelBody | undefined;
  /** The user's own choice, named on the last line (it may not be on this server). */
  readonly userDefault: string | undefined;
  /** Each model's options, attachment types, features, keys and server (`--options`). */
  readonly details: boolean;
}

/**
 * `llmq models` as text, in llm's way: a line per model with its aliases, marked when it is the
 * default or cannot run (its key is missing: the reason says where it goes), and a last line
 * naming the default and whose choice it is.
 */
export function formatModelList(models: readonly ModelBody[], view: ModelListView): string {
  let text = '';
  for (const model of models) {
    const aliases = model.aliases.length > 0 ? ` (aliases: ${model.aliases.join(', ')})` : '';
    const marker = model === view.defaultModel ? ' (default)' : '';
    const unavailable = model.available === false ? ' (unavailable)' : '';
    text += `${model.id}${aliases}${marker}${unavailable}\n`;
    if (model.available === false && model.unavailable_reason) {
      text += `  ${model.unavailable_reason}\n`;
    }
    if (view.details) text += detailsOf(model);
  }
  if (view.userDefault) {
    const missing = view.defaultModel ? '' : ' (not on this server)';
    text += `Default: ${view.userDefault}${missing}, yours (llmq models default)\n`;
  } else if (view.defaultModel) {
    text += `Default: ${view.defaultModel.id}, the server’s\n`;
  }
  return text;
}

function detailsOf(model: ModelBody): string {
  let text = '';
  const properties =
    (model.options as { properties?: Record<string, JsonSchemaProperty> }).properties ?? {};
  const names = Object.keys(properties);
  if (names.length > 0) {
    text += '  Options:\n';
    for (const name of names) {
      const property = properties[name] as JsonSchemaProperty;
      text += `    ${name}: ${typeName(property)}${property.description ? `\n      ${property.description}` : ''}\n`;
    }
  }
  if (model.attachment_types.length > 0) {
    text += `  Attachment types:\n    ${model.attachment_types.join(', ')}\n`;
  }
  text += `  Features:\n${model.can_stream ? '  - streaming\n' : ''}${model.supports_schema ? '  - schemas\n' : ''}${model.supports_tools ? '  - tools\n' : ''}`;
  if (model.key_env_var) text += `  Keys:\n    ${model.key_env_var}\n`;
  if (model.provider || model.endpoint) text += `  Served by:\n    ${servedBy(model)}\n`;
  if (model.fallbacks.length > 0) text += `  Fallbacks:\n    ${model.fallbacks.join(', ')}\n`;
  return text;
}

/** `vllm at http://10.0.0.5:8000/v1 (chat API)`: who serves the model, where and through what. */
function servedBy(model: ModelBody): string {
  const where = model.endpoint ? ` at ${model.endpoint}` : '';
  const api = model.api ? ` (${model.api} API)` : '';
  return `${model.provider ?? 'unnamed'}${where}${api}`;
}
