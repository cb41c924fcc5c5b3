import { endpointFields, providerNamePattern } from '@llmq/core';
import { z } from 'zod';

/** OpenAI's own server: what the SDK calls when no base URL is given. */
export const openAIDefaultBaseUrl = 'https://api.openai.com/v1';
/** The variable of OpenAI's key, whose stored counterpart is named `openai`. */
export const openAIKeyVariable = 'OPENAI_API_KEY';

/** An HTTP header name (RFC 9110 token). */
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers through which a key would go: the key has its own field, `key_env`. */
const keyHeaderNames = new Set(['authorization', 'api-key', 'x-api-key']);

/**
 * The fields of a model entry that say where it lives, as llm's `extra-openai-models.yaml`
 * has `api_base` and `api_key_name`. Each is optional: a model without `base_url` is called at
 * `OPENAI_BASE_URL` (else OpenAI's) with `OPENAI_API_KEY`.
 */
export const openAIEndpointFields = {
  // `base_url` ends where `/chat/completions` follows (e.g. `…/v1`); `key_env` names a
  // variable such as `VLLM_API_KEY`.
  ...endpointFields,
  /** `false`: the server needs no key (as `key_env: null`). */
  needs_key: z.boolean().optional(),
  /** Extra request headers (e.g. OpenRouter's `HTTP-Referer` and `X-Title`); never a key. */
  headers: z
    .record(z.string(), z.string().regex(/^[\x20-\x7e]*$/, 'printable ASCII on one line'))
    // Names are checked here rather than as the record's keys, whose issues zod words vaguely.
    .superRefine((headers, context) => {
      for (const name of Object.keys(headers)) {
        const message = !headerNamePattern.test(name)
          ? 'an HTTP header name'
          : keyHeaderNames.has(name.toLowerCase())
            ? 'a key goes in the variable key_env names, not in headers'
            : undefined;
        if (message) context.addIssue({ code: 'custom', path: [name], message });
      }
    })
    .optional(),
};

type EndpointFields = {
  readonly [Name in keyof typeof openAIEndpointFields]?: z.output<
    (typeof openAIEndpointFields)[Name]
  >;
};

/** Where a model is called and with which key, resolved from its entry and the plugin's URL. */
export interface OpenAIEndpoint {
  /** The base URL given to the SDK; undefined for OpenAI's own (the SDK's default). */
  readonly baseUrl: string | undefined;
  /** The base URL as listings show it: without user, password or query. */
  readonly endpoint: string;
  readonly provider: string;
  /** The settings variable of its key; undefined when the server needs none. */
  readonly keyVariable: string | undefined;
  /** The name its key is stored under: `openai` for OPENAI_API_KEY, else the provider. */
  readonly keyName: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Whether it is OpenAI's own server (which gets OpenAI's organisation and project). */
  readonly openAI: boolean;
}

/** Whether a base URL (undefined: the SDK's default) is OpenAI's own server. */
export function isOpenAIServer(baseUrl: string | undefined): boolean {
  return (
    baseUrl === undefined ||
    (URL.canParse(baseUrl) && new URL(baseUrl).hostname === 'api.openai.com')
  );
}

/** Where a model entry lives; `defaultBaseUrl` is `OPENAI_BASE_URL`, for entries without their own. */
export function openAIEndpointOf(
  config: EndpointFields,
  defaultBaseUrl: string | undefined,
): OpenAIEndpoint {
  const baseUrl = config.base_url ?? defaultBaseUrl;
  const openAI = isOpenAIServer(baseUrl);
  const provider = config.provider ?? (openAI ? 'openai' : hostnameOf(baseUrl));
  const keyVariable = keyVariableOf(config);
  return {
    baseUrl,
    endpoint: shownUrl(baseUrl ?? openAIDefaultBaseUrl),
    provider,
    keyVariable,
    keyName: keyNameOf(keyVariable, provider),
    headers: config.headers ?? {},
    openAI,
  };
}

/**
 * What is wrong with an entry's endpoint fields together, as [field, message], or undefined:
 * a foreign `base_url` without `key_env`, contradicting `needs_key` and `key_env`, or a key
 * that has no provider name to be stored under.
 */
export function openAIEndpointIssue(config: EndpointFields): [string, string] | undefined {
  if (config.needs_key === true && config.key_env === null) {
    return ['needs_key', 'needs_key is true but key_env is null; give the variable of its key'];
  }
  if (config.needs_key === false && typeof config.key_env === 'string') {
    return ['key_env', 'a model with "needs_key": false has no key variable; drop key_env'];
  }
  if (config.base_url === undefined || isOpenAIServer(config.base_url)) return undefined;
  if (config.key_env === undefined && config.needs_key !== false) {
    return [
      'key_env',
      'a model with its own base_url names the variable of its key ("key_env": "VLLM_API_KEY"), ' +
        'or says it needs none ("key_env": null); OPENAI_API_KEY goes to another server only by name',
    ];
  }
  const keyName = keyNameOf(keyVariableOf(config), config.provider ?? hostnameOf(config.base_url));
  if (keyName !== undefined && !providerNamePattern.test(keyName)) {
    return ['provider', `its key needs a provider name to be stored under ("provider": "vllm")`];
  }
  return undefined;
}

function keyVariableOf(config: EndpointFields): string | undefined {
  if (config.needs_key === false || config.key_env === null) return undefined;
  return config.key_env ?? openAIKeyVariable;
}

function keyNameOf(keyVariable: string | undefined, provider: string): string | undefined {
  if (keyVariable === undefined) return undefined;
  return keyVariable === openAIKeyVariable ? 'openai' : provider;
}

function hostnameOf(url: string | undefined): string {
  return url !== undefined && URL.canParse(url) ? new URL(url).hostname : 'openai';
}

/** A URL without user, password, query or fragment, and without a trailing slash. */
function shownUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}
