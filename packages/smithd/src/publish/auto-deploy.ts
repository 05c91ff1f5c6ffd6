/**
 * Auto-deploy on publish: each environment whose policy matches the version's branch or tag gets
 * it, unless a rollback pinned the app there; the publish answer says which were skipped and why.
 */
import type { Deployment, SkippedDeploy } from '@deploysmith/core';
import type { ManifestFile } from '@deploysmith/manifests';
import { type AppRow, appEnvironments } from '../db/apps.ts';
import { listPins } from '../db/pins.ts';
import { listPolicies } from '../db/policies.ts';
import type { VersionRow } from '../db/versions.ts';
import { policyMatches } from './glob.ts';
import type { PublishContext } from './publish.ts';

export async function runAutoDeploys(
  context: PublishContext,
  app: AppRow,
  version: VersionRow,
  requestedBy: string,
  files?: ManifestFile[],
): Promise<{ deployments: Deployment[]; skipped: SkippedDeploy[] }> {
  const db = context.database.db;
  const policies = await appPolicies(context, app);
  const pins = new Map((await listPins(db, app.name)).map((pin) => [pin.environment, pin]));
  const deployments: Deployment[] = [];
  const skipped: SkippedDeploy[] = [];
  for (const policy of policies) {
    if (!policyMatches(policy, { branch: version.branch, tag: version.tag })) continue;
    const environment = policy.environment;
    const pin = pins.get(environment);
    if (pin) {
      skipped.push({
        environment,
        reason: `${environment} skipped: pinned by ${pin.pinned_by} at ${pin.pinned_at} (to ${pin.version}); run \`smithctl unpin ${app.name} --env ${environment}\` to resume auto-deploy`,
      });
      continue;
    }
    try {
      const result = await context.deploys.deploy({
        app: app.name,
        version: version.id,
        environment,
        requestedBy,
        kind: 'auto-deploy',
        ...(files === undefined ? {} : { files }),
      });
      const running = result.deployment;
      if (!result.noop) deployments.push(running);
      else if (running.version !== version.id)
        skipped.push({
          environment,
          reason: `${environment} skipped: it runs ${running.version}, published after ${version.id}`,
        });
      // An auto-deploy of this very version by a publish that was interrupted: it is this publish's.
      else if (running.kind === 'auto-deploy') deployments.push(running);
      else
        skipped.push({
          environment,
          reason: `${environment} skipped: ${version.id} is already deployed there`,
        });
    } catch (error) {
      skipped.push({ environment, reason: `${environment} auto-deploy failed: ${(error as Error).message}` });
    }
  }
  return { deployments, skipped };
}

/** Whether a policy of the app matches the version's branch or tag (pins aside); false when it cannot tell. */
export function willAutoDeploy(
  context: PublishContext,
  app: AppRow,
  version: Pick<VersionRow, 'branch' | 'tag'>,
): Promise<boolean> {
  const ref = { branch: version.branch, tag: version.tag };
  return appPolicies(context, app).then(
    (policies) => policies.some((policy) => policyMatches(policy, ref)),
    () => false,
  );
}

/** The app's auto-deploy policies for the environments it has. */
async function appPolicies(context: PublishContext, app: AppRow) {
  const environments = new Set(appEnvironments(app));
  return (await listPolicies(context.database.db, app.name)).filter((policy) =>
    environments.has(policy.environment),
  );
}
