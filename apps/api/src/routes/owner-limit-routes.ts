import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  type CallerLimitsBody,
  callerLimitsSchema,
  type OwnerLimitsBody,
  ownerLimitsSchema,
  ownerPathSchema,
  problemSchema,
  subjectLimitsSchema,
  withoutNul,
} from '@llmq/contracts';
import { getOwnerLimits, type OwnerLimitsRow } from '@llmq/db/reads';
import { deleteOwnerLimits, requireOwner, setOwnerLimits } from '@llmq/engine';
import type { Authenticator } from '../auth/authenticator.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { keyBody, requireAdmin } from './key-routes.ts';
import { limitValuesOf } from './limit-values.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
const ownerLimitsContent = { 'application/json': { schema: ownerLimitsSchema } };
const adminOnly = {
  401: { description: 'No or a bad key', ...problem },
  403: { description: 'Not an admin key', ...problem },
  404: { description: 'No key has this owner', ...problem },
  422: { description: 'Not an owner name', ...problem },
};

const getRoute = createRoute({
  method: 'get',
  path: '/v1/owners/{owner}/limits',
  summary: 'An owner’s limits, which bind all its keys together (admin keys only)',
  request: { params: ownerPathSchema },
  responses: {
    200: {
      description: 'The limits; every field null when none are set',
      content: ownerLimitsContent,
    },
    ...adminOnly,
  },
});

const putRoute = createRoute({
  method: 'put',
  path: '/v1/owners/{owner}/limits',
  summary: 'Set an owner’s limits, replacing them (admin keys only)',
  description:
    'A field left out or null is no limit. A budget (USD per day, week or month, UTC calendar periods) needs its period. The owner must be some key’s owner.',
  request: {
    params: ownerPathSchema,
    body: {
      required: true,
      content: { 'application/json': { schema: withoutNul(subjectLimitsSchema) } },
    },
  },
  responses: {
    200: { description: 'The limits as set', content: ownerLimitsContent },
    ...adminOnly,
    422: { description: 'A budget without its period, or a limit out of range', ...problem },
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/owners/{owner}/limits',
  summary: 'Remove an owner’s limits (admin keys only)',
  request: { params: ownerPathSchema },
  responses: {
    200: { description: 'No limits are set now', content: ownerLimitsContent },
    ...adminOnly,
  },
});

const callerRoute = createRoute({
  method: 'get',
  path: '/v1/limits',
  summary: 'What binds the calling key: its models, expiry and limits, and its owner’s limits',
  description:
    'Each is checked on its own: a key’s budget counts the key’s spend, its owner’s budget the spend of every key of the owner.',
  responses: {
    200: {
      description: 'The limits',
      content: { 'application/json': { schema: callerLimitsSchema } },
    },
    401: { description: 'No or a bad key', ...problem },
  },
});

function ownerLimitsBody(owner: string, row: OwnerLimitsRow | undefined): OwnerLimitsBody {
  return {
    owner,
    ...limitValuesOf(
      row ?? {
        budgetUsd: null,
        budgetPeriod: null,
        requestsPerMinute: null,
        tokensPerMinute: null,
        maxConcurrent: null,
      },
    ),
    updated_at: row ? row.updatedAt.toISOString() : null,
  };
}

export function registerOwnerLimitRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDependencies,
  authenticator: Authenticator,
): void {
  const { services } = deps;
  app.openapi(getRoute, async (c) => {
    requireAdmin(c, authenticator, 'Owner limits');
    const { owner } = c.req.valid('param');
    await requireOwner(services, owner);
    return c.json(ownerLimitsBody(owner, await getOwnerLimits(services.db, owner)), 200);
  });
  app.openapi(putRoute, async (c) => {
    requireAdmin(c, authenticator, 'Owner limits');
    const { owner } = c.req.valid('param');
    const row = await setOwnerLimits(services, owner, c.req.valid('json'));
    deps.logger.info({ owner }, 'owner limits set');
    return c.json(ownerLimitsBody(owner, row), 200);
  });
  app.openapi(deleteRoute, async (c) => {
    requireAdmin(c, authenticator, 'Owner limits');
    const { owner } = c.req.valid('param');
    await deleteOwnerLimits(services, owner);
    deps.logger.info({ owner }, 'owner limits removed');
    return c.json(ownerLimitsBody(owner, undefined), 200);
  });
  app.openapi(callerRoute, async (c) => {
    const caller = c.get('caller');
    const owner = caller.owner ?? null;
    const stored = owner === null ? undefined : await getOwnerLimits(services.db, owner);
    let key: CallerLimitsBody['key'] = null;
    if (caller.apiKey) {
      const { revoked_at: _revoked, ...shown } = keyBody(caller.apiKey);
      key = shown;
    }
    const body: CallerLimitsBody = {
      owner,
      key,
      owner_limits: owner !== null && stored ? ownerLimitsBody(owner, stored) : null,
    };
    return c.json(body, 200);
  });
}
