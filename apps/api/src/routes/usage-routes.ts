import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  firstUsageDay,
  problemCatalogue,
  problemSchema,
  type UsageDimensionName,
  type UsageQueryParameters,
  type UsageReportBody,
  usageQuerySchema,
  usageReportSchema,
} from '@llmq/contracts';
import { type UsageGroup, usageTotals } from '@llmq/db/reads';
import type { Caller } from '../auth/authenticator.ts';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const usageRoute = createRoute({
  method: 'get',
  path: '/v1/usage',
  summary: 'Spend and tokens per day, model, key or owner, from the usage ledger',
  description:
    'Totals over UTC days `from` to `to` (both included; default the last 30 days), split by `group_by` (a comma list of `day`, `model`, `key`, `owner`). Each answer counts on the day it ended, at the prices of the model that answered (LLMQ_MODEL_PRICES; provider batches at their batch prices). An owner key sees its own owner’s usage only; admin keys see everyone’s and may filter by `owner`.',
  request: { query: usageQuerySchema },
  responses: {
    200: {
      description: 'The usage',
      content: { 'application/json': { schema: usageReportSchema } },
    },
    403: { description: 'Another owner’s usage, asked with an owner key', ...problem },
    422: { description: 'Invalid query', ...problem },
  },
});

const dayMs = 86_400_000;
/** How many days the report covers when `from` is not given: the last 30, today included. */
const defaultDays = 30;

export function registerUsageRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  app.openapi(usageRoute, async (c) => {
    const query = c.req.valid('query');
    const owner = ownerScope(c.get('caller'), query.owner);
    const { from, to } = dayRange(query);
    const groupBy = [...new Set((query.group_by?.split(',') ?? []) as UsageDimensionName[])];
    const totals = await usageTotals(deps.services.db, {
      from,
      to,
      groupBy,
      owner,
      apiKeyId: query.key_id,
      model: query.model,
    });
    const body: UsageReportBody = {
      currency: 'USD',
      from,
      to,
      group_by: groupBy,
      total: amountsBody(totals.total),
      data: totals.groups.map(groupBody),
    };
    return c.json(body, 200);
  });
}

/** Whose usage the caller may read: an owner key its own owner's only; admins anyone's. */
function ownerScope(caller: Caller, asked: string | undefined): string | undefined {
  if (caller.admin) return asked;
  const own = caller.owner ?? '';
  if (asked !== undefined && asked !== own) {
    throw new ProblemError(
      problemCatalogue.forbidden,
      `An owner key sees its own owner’s usage only (${own}); leave out owner=${asked}, or ask with an admin key`,
    );
  }
  return own;
}

function dayRange(query: UsageQueryParameters): { from: string; to: string } {
  const to = query.to ?? new Date().toISOString().slice(0, 10);
  const from = query.from ?? defaultFrom(to);
  if (from > to) {
    throw new ProblemError(
      problemCatalogue.validationFailed,
      `from (${from}) is after to (${to}); give a from on or before it`,
    );
  }
  return { from, to };
}

/** 29 days before `to`, floored at the first day PostgreSQL has (near year 1 it would go negative). */
function defaultFrom(to: string): string {
  const start = new Date(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * dayMs);
  // Years before 1 print as -000001-..., which no comparison of day text can order.
  if (start.getUTCFullYear() < 1) return firstUsageDay;
  return start.toISOString().slice(0, 10);
}

function amountsBody(amounts: {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}) {
  return {
    requests: amounts.requests,
    input_tokens: amounts.inputTokens,
    output_tokens: amounts.outputTokens,
    cost_usd: amounts.costUsd,
  };
}

function groupBody(group: UsageGroup) {
  return {
    ...(group.day === undefined ? {} : { day: group.day }),
    ...(group.model === undefined ? {} : { model: group.model }),
    ...(group.apiKeyId === undefined ? {} : { key_id: group.apiKeyId }),
    ...(group.owner === undefined ? {} : { owner: group.owner }),
    ...amountsBody(group),
  };
}
