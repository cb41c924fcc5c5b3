import { endpointFields, providerNamePattern } from '@llmq/core';
import type { z } from 'zod';

/** Anthropic's own server: the SDK's `baseURL` when none is given. */
export const anthropicDefaultBaseUrl = 'https://api.anthropic.com';
/** The variable of Anthropic's key, whose stored counterpart is named `anthropic`. */
export const anthropicKeyVariable = 'ANTHROPIC_API_KEY';

/**
 * The fields of a model entry that say where it lives, as the OpenAI plugin's do: a model
 * without `base_url` is called at `ANTHROPIC_BASE_URL` (else Anthropic's) with
 * `ANTHROPIC_API_KEY`.
 */
export const anthropicEndpointFields = {
  // `base_url` is the server's origin, as the SDK's `baseURL` (`/v1/messages` follows).
  ...endpointFields,
};

type EndpointFields = {
  readonly [Name in keyof typeof anthropicEndpointFields]?: z.output<
    (typeof anthropicEndpointFields)[Name]
  >;
};

/** Where a model is called and with which key. */
export interface AnthropicEndpoint {
  /** The SDK's `baseURL`. */
  readonly baseUrl: string;
  /** The base URL as listings show it: without user, password or query. */
  readonly endpoint: string;
  readonly provider: string;
  /** The settings variable of its key; undefined when the server needs none. */
  readonly keyVariable: string | undefined;
  /** The name its key is stored under: `anthropic` for ANTHROPIC_API_KEY, else the provider. */
  readonly keyName: string | undefined;
}

/** Whether a base URL (undefined: the SDK's default) is Anthropic's own server. */
export function isAnthropicServer(baseUrl: string | undefined): boolean {
  return (
    baseUrl === undefined ||
    (URL.canParse(baseUrl) && new URL(baseUrl).hostname === 'api.anthropic.com')
  );
}

/** Where a model entry lives; `defaultBaseUrl` is `ANTHROPIC_BASE_URL`, for entries without one. */
export function anthropicEndpointOf(
  config: EndpointFields,
  defaultBaseUrl: string | undefined,
): AnthropicEndpoint {
  const baseUrl = config.base_url ?? defaultBaseUrl ?? anthropicDefaultBaseUrl;
  const provider =
    config.provider ?? (isAnthropicServer(baseUrl) ? 'anthropic' : new URL(baseUrl).hostname);
  const keyVariable =
    config.key_env === null ? undefined : (config.key_env ?? anthropicKeyVariable);
  return {
    baseUrl,
    endpoint: shownUrl(baseUrl),
    provider,
    keyVariable,
    keyName:
      keyVariable === undefined
        ? undefined
        : keyVariable === anthropicKeyVariable
          ? 'anthropic'
          : provider,
  };
}

/**
 * What is wrong with an entry's endpoint fields together, as [field, message], or undefined: a
 * foreign `base_url` without `key_env`, or a key without a provider name to be stored under.
 */
export function anthropicEndpointIssue(config: EndpointFields): [string, string] | undefined {
  if (config.base_url === undefined || isAnthropicServer(config.base_url)) return undefined;
  if (config.key_env === undefined) {
    return [
      'key_env',
      'a model with its own base_url names the variable of its key ("key_env": "PROXY_API_KEY"), ' +
        'or says it needs none ("key_env": null); ANTHROPIC_API_KEY goes to another server only by name',
    ];
  }
  const { keyName } = anthropicEndpointOf(config, undefined);
  if (keyName !== undefined && !providerNamePattern.test(keyName)) {
    return ['provider', 'its key needs a provider name to be stored under ("provider": "proxy")'];
  }
  return undefined;
}

/** A URL without user, password, query or fragment, and without a trailing slash. */
function shownUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}
