/** POST /v1/apps, GET /v1/apps, GET /v1/apps/:app */
import { App, AppList, DeploySmithError, RegisterAppRequest } from '@deploysmith/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Context } from '../context.ts';
import { getApp, listApps } from '../db/apps.ts';
import { registerApp } from '../publish/register-app.ts';
import { appView, appViews } from '../views/app-view.ts';
import { AppParams, errors, secured } from './schemas.ts';

export const appRoutes: FastifyPluginAsyncTypebox<{ context: Context }> = async (app, { context }) => {
  const db = context.database.db;

  app.post(
    '/v1/apps',
    {
      schema: {
        summary: 'Register an app (the same registration again is answered 200)',
        tags: ['apps'],
        security: secured,
        body: RegisterAppRequest,
        response: { 200: App, 201: App, ...errors },
      },
    },
    async (request, reply) => {
      const { created, row } = await registerApp(context, request.body);
      return reply.status(created ? 201 : 200).send(await appView(db, row));
    },
  );

  app.get(
    '/v1/apps',
    {
      schema: {
        summary: 'List apps with what runs where',
        tags: ['apps'],
        security: secured,
        response: { 200: AppList, ...errors },
      },
    },
    async () => ({ items: await appViews(db, await listApps(db)) }),
  );

  app.get(
    '/v1/apps/:app',
    {
      schema: {
        summary: 'One app: per environment the current deploy, pin and policy',
        tags: ['apps'],
        security: secured,
        params: AppParams,
        response: { 200: App, ...errors },
      },
    },
    async (request) => {
      const row = await getApp(db, request.params.app);
      if (!row) throw new DeploySmithError('not_found', `No app named ${request.params.app}.`);
      return appView(db, row);
    },
  );
};
