import type { OpenAPIHono } from '@hono/zod-openapi';

/** The OpenAPI 3.1 document as @hono/zod-openapi generates it. */
export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

export type PathItem = NonNullable<OpenApiDocument['paths']>[string];

/** The methods a path item may hold an operation under. */
export const operationMethods = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'head',
  'options',
] as const;
