/** DELETE /v1/apps/:app/pins/:env: lift a rollback's pin so auto-deploy resumes. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Context } from '../context.ts';
import { deletePin } from '../db/pins.ts';
import { writeTransaction } from '../db/transaction.ts';
import { requireAppEnvironment } from './lookups.ts';
import { EnvironmentParams, errors, secured } from './schemas.ts';

export const pinRoutes: FastifyPluginAsyncTypebox<{ context: Context }> = async (app, { context }) => {
  app.delete(
    '/v1/apps/:app/pins/:env',
    {
      schema: {
        summary: 'Lift the pin a rollback set (nothing to do when there is none)',
        tags: ['deployments'],
        security: secured,
        params: EnvironmentParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { app: appName, env } = request.params;
      await writeTransaction(context.database, async (trx) => {
        await requireAppEnvironment(trx, appName, env);
        await deletePin(trx, appName, env);
      });
      return reply.status(204).send(null);
    },
  );
};
