/** Drafts, publishes and reads of versions: /v1/apps/:app/versions… */
import {
  DeploySmithError,
  DraftRequest,
  DraftResponse,
  PublishResponse,
  Version,
  VersionList,
  VersionListQuery,
} from '@deploysmith/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { callerOf } from '../auth/hook.ts';
import type { Context } from '../context.ts';
import { appEnvironments } from '../db/apps.ts';
import { getVersion, toVersion } from '../db/versions.ts';
import { deployedToOf } from '../publish/deployed-to.ts';
import { draftVersion } from '../publish/draft.ts';
import { publishVersion } from '../publish/publish.ts';
import { PageCache } from '../views/page-cache.ts';
import { listVersions } from '../views/version-list.ts';
import { requireApp } from './lookups.ts';
import { AppParams, errors, secured, VersionParams } from './schemas.ts';

export const versionRoutes: FastifyPluginAsyncTypebox<{ context: Context }> = async (app, { context }) => {
  const db = context.database.db;
  const pages = new PageCache();

  app.post(
    '/v1/apps/:app/versions',
    {
      schema: {
        summary: 'Draft a version: returns where to upload its bundle (valid 5 minutes)',
        tags: ['versions'],
        security: secured,
        params: AppParams,
        body: DraftRequest,
        response: { 200: DraftResponse, 201: DraftResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { app: appName } = request.params;
      const { created, response } = await context.versionLocks.run(appName, request.body.id, () =>
        draftVersion(
          {
            database: context.database,
            storage: context.storage,
            maxBundleBytes: context.config.limits.bundleBytes,
          },
          appName,
          request.body,
        ),
      );
      return reply.status(created ? 201 : 200).send(response);
    },
  );

  app.post(
    '/v1/apps/:app/versions/:id/publish',
    {
      schema: {
        summary: 'Publish a draft: verify, validate, make immutable, run auto-deploy policies',
        tags: ['versions'],
        security: secured,
        params: VersionParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PublishResponse, ...errors },
      },
    },
    async (request) => {
      const { app: appName, id } = request.params;
      const caller = callerOf(request);
      return context.versionLocks.run(appName, id, () =>
        publishVersion(
          {
            database: context.database,
            storage: context.storage,
            deploys: context.deploys,
            manifests: context.manifests,
            limits: context.config.limits,
          },
          appName,
          id,
          caller.name,
        ),
      );
    },
  );

  app.get(
    '/v1/apps/:app/versions',
    {
      schema: {
        summary: 'Versions, newest first, with the environments each is deployed to',
        tags: ['versions'],
        security: secured,
        params: AppParams,
        querystring: VersionListQuery,
        response: { 200: VersionList, ...errors },
      },
    },
    async (request, reply) => {
      const app = await requireApp(db, request.params.app);
      const { limit = 50, cursor, branch } = request.query;
      const key = PageCache.key(app.name, app.revision, { limit, cursor, branch });
      let page = pages.get(key);
      if (page === undefined) {
        page = Buffer.from(
          JSON.stringify(
            await listVersions(db, {
              app: app.name,
              environments: appEnvironments(app),
              limit,
              cursor,
              branch,
            }),
          ),
        );
        pages.set(key, page);
      }
      // Bytes of JSON: fastify sends a Buffer as it is, without serialising it again.
      return reply.type('application/json; charset=utf-8').send(page as never);
    },
  );

  app.get(
    '/v1/apps/:app/versions/:id',
    {
      schema: {
        summary: 'One version, with its manifest files',
        tags: ['versions'],
        security: secured,
        params: VersionParams,
        response: { 200: Version, ...errors },
      },
    },
    async (request) => {
      const { app: appName, id } = request.params;
      const app = await requireApp(db, appName);
      const row = await getVersion(db, appName, id);
      if (!row) throw new DeploySmithError('not_found', `App ${appName} has no version ${id}.`);
      const deployedTo = await deployedToOf(db, appName, appEnvironments(app));
      return toVersion(
        row,
        deployedTo.get(id) ?? [],
        row.files === null ? [] : (JSON.parse(row.files) as string[]),
      );
    },
  );
};
