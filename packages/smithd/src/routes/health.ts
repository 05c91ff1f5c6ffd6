/** Liveness, readiness (database and storage answer) and the API description. */
import { DeploySmithError } from '@deploysmith/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Context } from '../context.ts';
import { errors } from './schemas.ts';

const Status = Type.Object({ status: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox<{ context: Context }> = async (app, { context }) => {
  app.get(
    '/healthz',
    { config: { auth: false }, schema: { summary: 'Liveness', tags: ['health'], response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: false },
      schema: {
        summary: 'Readiness: the database and the storage answer',
        tags: ['health'],
        response: { 200: Status, ...errors },
      },
    },
    async () => {
      try {
        await context.database.ping();
      } catch (error) {
        if (error instanceof DeploySmithError) throw error;
        throw new DeploySmithError(
          'database_unavailable',
          `The database does not answer: ${(error as Error).message}`,
        );
      }
      await context.storage.ping();
      return { status: 'ready' };
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
