/** Apps as the API shows them: with what runs in each environment, its pin and its policy. */
import type { App } from '@deploysmith/core';
import type { Kysely } from 'kysely';
import { type AppRow, appEnvironments } from '../db/apps.ts';
import { type DeploymentRow, toDeployment } from '../db/deployments.ts';
import { type PinRow, toPin } from '../db/pins.ts';
import { type PolicyRow, toPolicy } from '../db/policies.ts';
import type { Schema } from '../db/schema.ts';

/** Views of `apps`, with three queries whatever their number. */
export async function appViews(db: Kysely<Schema>, apps: AppRow[]): Promise<App[]> {
  if (apps.length === 0) return [];
  const names = apps.map((app) => app.name);
  const one = apps.length === 1;
  const [current, pins, policies] = await Promise.all([
    db
      .selectFrom('deployments')
      .selectAll()
      .where(
        'seq',
        'in',
        db
          .selectFrom('deployments')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .where('status', '=', 'succeeded')
          .$if(one, (q) => q.where('app', '=', names[0] as string))
          .groupBy(['app', 'environment']),
      )
      .execute(),
    db
      .selectFrom('pins')
      .selectAll()
      .$if(one, (q) => q.where('app', '=', names[0] as string))
      .execute(),
    db
      .selectFrom('policies')
      .selectAll()
      .$if(one, (q) => q.where('app', '=', names[0] as string))
      .execute(),
  ]);
  const slot = (row: { app: string; environment: string }) => `${row.app}\u0000${row.environment}`;
  const currentBySlot = new Map<string, DeploymentRow>(current.map((row) => [slot(row), row]));
  const pinBySlot = new Map<string, PinRow>(pins.map((row) => [slot(row), row]));
  const policyBySlot = new Map<string, PolicyRow>(policies.map((row) => [slot(row), row]));
  return apps.map((app) => ({
    name: app.name,
    repo: app.repo,
    environments: appEnvironments(app),
    createdAt: app.created_at,
    status: appEnvironments(app).map((environment) => {
      const key = slot({ app: app.name, environment });
      const deployment = currentBySlot.get(key);
      const pin = pinBySlot.get(key);
      const policy = policyBySlot.get(key);
      return {
        environment,
        current: deployment ? toDeployment(deployment) : null,
        pin: pin ? toPin(pin) : null,
        policy: policy ? toPolicy(policy) : null,
      };
    }),
  }));
}

export async function appView(db: Kysely<Schema>, app: AppRow): Promise<App> {
  const [view] = await appViews(db, [app]);
  if (!view) throw new Error(`no view of app ${app.name}`);
  return view;
}
