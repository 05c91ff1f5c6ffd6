/** The 404/400 answers for an unknown app or environment in a route path. */
import { DeploySmithError } from '@deploysmith/core';
import type { Kysely } from 'kysely';
import { type AppRow, appEnvironments, getApp } from '../db/apps.ts';
import type { Schema } from '../db/schema.ts';

export async function requireApp(db: Kysely<Schema>, name: string): Promise<AppRow> {
  const app = await getApp(db, name);
  if (!app) {
    throw new DeploySmithError('not_found', `No app named ${name}.`, {
      hint: 'List the apps with: smithctl apps',
    });
  }
  return app;
}

export async function requireAppEnvironment(
  db: Kysely<Schema>,
  name: string,
  environment: string,
): Promise<AppRow> {
  const app = await requireApp(db, name);
  const environments = appEnvironments(app);
  if (!environments.includes(environment)) {
    throw new DeploySmithError('not_found', `App ${name} has no environment ${environment}.`, {
      hint: `Its environments are: ${environments.join(', ')}.`,
    });
  }
  return app;
}
