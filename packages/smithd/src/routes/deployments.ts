/** Deploys (and dry runs) and the deployment history: /v1/apps/:app/deployments */
import {
  DeploymentList,
  DeploymentListQuery,
  DeployRequest,
  DeployResponse,
  DeploySmithError,
  DryRunResponse,
  IDEMPOTENCY_HEADER,
} from '@deploysmith/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { callerOf } from '../auth/hook.ts';
import type { Context } from '../context.ts';
import { getApp } from '../db/apps.ts';
import { listDeployments } from '../views/deployment-list.ts';
import { AppParams, errors, secured } from './schemas.ts';

const DeployHeaders = Type.Object({
  [IDEMPOTENCY_HEADER]: Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' }),
  ),
});

export const deploymentRoutes: FastifyPluginAsyncTypebox<{ context: Context }> = async (app, { context }) => {
  app.post(
    '/v1/apps/:app/deployments',
    {
      schema: {
        summary: 'Deploy a version to an environment (dryRun: the plan only, nothing written)',
        description:
          'Send an Idempotency-Key header to make the request safe to retry: the same key returns the same deployment.',
        tags: ['deployments'],
        security: secured,
        params: AppParams,
        headers: DeployHeaders,
        body: DeployRequest,
        response: { 200: Type.Union([DeployResponse, DryRunResponse]), 201: DeployResponse, ...errors },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const input = {
        app: request.params.app,
        version: request.body.version,
        environment: request.body.environment,
        requestedBy: caller.name,
        idempotencyKey: request.headers[IDEMPOTENCY_HEADER],
      };
      if (request.body.dryRun === true) return context.deploys.dryRun(input);
      const { replayed, ...response } = await context.deploys.deploy(input);
      return reply.status(replayed || response.noop ? 200 : 201).send(response);
    },
  );

  app.get(
    '/v1/apps/:app/deployments',
    {
      schema: {
        summary: 'Deployment history, newest first',
        tags: ['deployments'],
        security: secured,
        params: AppParams,
        querystring: DeploymentListQuery,
        response: { 200: DeploymentList, ...errors },
      },
    },
    async (request) => {
      const { app: appName } = request.params;
      if (!(await getApp(context.database.db, appName)))
        throw new DeploySmithError('not_found', `No app named ${appName}.`);
      const { limit = 50, cursor, environment } = request.query;
      return listDeployments(context.database.db, { app: appName, environment, limit, cursor });
    },
  );
};
