/** Auto-deploy policies: GET/PUT/DELETE /v1/apps/:app/policies[/:env] */
import { DeploySmithError, Policy, PolicyList, PolicyRequest } from '@deploysmith/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Context } from '../context.ts';
import { deletePolicy, getPolicy, listPolicies, putPolicy, toPolicy } from '../db/policies.ts';
import { writeTransaction } from '../db/transaction.ts';
import { requireApp, requireAppEnvironment } from './lookups.ts';
import { AppParams, EnvironmentParams, errors, secured } from './schemas.ts';

export const policyRoutes: FastifyPluginAsyncTypebox<{ context: Context }> = async (app, { context }) => {
  const db = context.database.db;

  app.get(
    '/v1/apps/:app/policies',
    {
      schema: {
        summary: "The app's auto-deploy policies",
        tags: ['policies'],
        security: secured,
        params: AppParams,
        response: { 200: PolicyList, ...errors },
      },
    },
    async (request) => {
      await requireApp(db, request.params.app);
      return { items: (await listPolicies(db, request.params.app)).map(toPolicy) };
    },
  );

  app.get(
    '/v1/apps/:app/policies/:env',
    {
      schema: {
        summary: 'The auto-deploy policy of one environment',
        tags: ['policies'],
        security: secured,
        params: EnvironmentParams,
        response: { 200: Policy, ...errors },
      },
    },
    async (request) => {
      const { app: appName, env } = request.params;
      await requireAppEnvironment(db, appName, env);
      const row = await getPolicy(db, appName, env);
      if (!row) {
        throw new DeploySmithError('not_found', `App ${appName} has no auto-deploy policy for ${env}.`, {
          hint: `Set one with: smithctl policy set ${appName} --env ${env} --branch main`,
        });
      }
      return toPolicy(row);
    },
  );

  app.put(
    '/v1/apps/:app/policies/:env',
    {
      schema: {
        summary: 'Set the auto-deploy policy of one environment: a branch glob and/or a tag glob',
        tags: ['policies'],
        security: secured,
        params: EnvironmentParams,
        body: PolicyRequest,
        response: { 200: Policy, ...errors },
      },
    },
    async (request) => {
      const { app: appName, env } = request.params;
      const branch = request.body.branch ?? null;
      const tag = request.body.tag ?? null;
      if (branch === null && tag === null) {
        throw new DeploySmithError('invalid_input', 'A policy needs a branch glob, a tag glob or both.', {
          hint: `To stop auto-deploys to ${env}, delete the policy instead.`,
          details: [{ field: 'body.branch', message: 'branch or tag is required' }],
        });
      }
      const row = { app: appName, environment: env, branch, tag, updated_at: new Date().toISOString() };
      await writeTransaction(context.database, async (trx) => {
        await requireAppEnvironment(trx, appName, env);
        await putPolicy(trx, row);
      });
      return toPolicy(row);
    },
  );

  app.delete(
    '/v1/apps/:app/policies/:env',
    {
      schema: {
        summary: 'Remove the auto-deploy policy of one environment',
        tags: ['policies'],
        security: secured,
        params: EnvironmentParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { app: appName, env } = request.params;
      await writeTransaction(context.database, async (trx) => {
        await requireAppEnvironment(trx, appName, env);
        await deletePolicy(trx, appName, env);
      });
      return reply.status(204).send(null);
    },
  );
};
