/**
 * Publishing a draft: the uploaded bundle is checked (size and sha256 as declared, unpacked safely,
 * version.yml naming this app and version, every manifest valid), moved to `published/`, marked
 * published for good, and the app's matching auto-deploy policies run. Any failed check leaves the
 * draft a draft and `published/` untouched. A store or database failing after the copy leaves the
 * draft a draft beside a copy nothing reads, which the next publish replaces (or the janitor deletes
 * with the draft). Publishing again answers what the first publish did.
 */
import { DeploySmithError, type PublishResponse, type SkippedDeploy } from '@deploysmith/core';
import type { ManifestFile } from '@deploysmith/manifests';
import type { Limits } from '../config/resolve.ts';
import { type AppRow, appEnvironments, getApp, touchApps } from '../db/apps.ts';
import type { Database } from '../db/connect.ts';
import { deploymentsById, toDeployment } from '../db/deployments.ts';
import { writeTransaction } from '../db/transaction.ts';
import {
  getVersion,
  markPublished,
  nextPosition,
  readAutoDeploys,
  setAutoDeploys,
  toVersion,
  type VersionRow,
} from '../db/versions.ts';
import type { DeployService } from '../deploy/service.ts';
import type { VersionStorage } from '../storage/types.ts';
import { runAutoDeploys, willAutoDeploy } from './auto-deploy.ts';
import { readStoredBundle } from './bundle-files.ts';
import { deployedToOf } from './deployed-to.ts';
import type { ManifestChecker } from './manifest-checker.ts';

export interface PublishContext {
  database: Database;
  storage: VersionStorage;
  deploys: DeployService;
  manifests: ManifestChecker;
  limits: Limits;
}

export async function publishVersion(
  context: PublishContext,
  appName: string,
  id: string,
  requestedBy: string,
): Promise<PublishResponse> {
  const { database, storage } = context;
  const app = await getApp(database.db, appName);
  if (!app) throw new DeploySmithError('not_found', `No app named ${appName}.`);
  const version = await getVersion(database.db, appName, id);
  if (!version) {
    throw new DeploySmithError('not_found', `App ${appName} has no version ${id}.`, {
      hint: 'Draft it first (POST /v1/apps/:app/versions); forge publish drafts, uploads and publishes.',
    });
  }
  if (version.state === 'published') {
    // No record of its auto-deploys: the publish that made it published stopped (a crash, a lost
    // connection) before its policies ran to the end. Running them now is what it would have done;
    // the deploy service makes a deploy that did land a no-op.
    if (version.auto_deploys === null) return finishPublish(context, app, version, requestedBy);
    return answerOf(context, app, version);
  }

  const ref = { app: appName, version: id };
  const declared = { sha256: version.sha256, size: Number(version.size) };
  // Asked while the bundle is read, so the build ahead of the auto-deploys starts right after.
  const autoDeploying = willAutoDeploy(context, app, version);
  const { versionFile, files } = await readStoredBundle(
    await storage.openDraft(ref, declared),
    context.limits,
  );
  if (versionFile.app !== appName || versionFile.id !== id) {
    throw new DeploySmithError(
      'invalid_bundle',
      `The bundle's version.yml is for ${versionFile.app} ${versionFile.id}, not ${appName} ${id}.`,
      {
        hint: 'Upload the bundle built for this version.',
        details: [
          {
            file: 'version.yml',
            field: versionFile.app !== appName ? 'app' : 'id',
            message: 'does not match the draft',
          },
        ],
      },
    );
  }
  // The auto-deploys that follow need the app folder built by kustomize: it builds now, beside the
  // validation and the writes of the publish, and their check waits for it.
  if (await autoDeploying) void context.deploys.verifyAhead(app, files);
  await context.manifests.check(files);
  await storage.promote(ref, declared);
  const published = await writeTransaction(database, async (trx) => {
    const current = await getVersion(trx, appName, id);
    if (current?.state !== 'draft' || current.sha256 !== version.sha256) {
      throw new DeploySmithError(
        'conflict',
        `Version ${id} of ${appName} changed while it was being published.`,
        {
          hint: 'Publish it again.',
        },
      );
    }
    await markPublished(
      trx,
      { app: appName, id },
      {
        position: await nextPosition(trx, appName),
        publishedAt: new Date().toISOString(),
        files: files.map((file) => file.path).sort(),
      },
    );
    await touchApps(trx, [appName]);
    return (await getVersion(trx, appName, id)) as VersionRow;
  });
  // Published now, whatever happens next: a draft the store fails to delete is left to its
  // lifecycle rule or the janitor, and must not cost the version its auto-deploys.
  await storage.deleteDraft(ref).catch(() => undefined);
  return finishPublish(context, app, published, requestedBy, files);
}

/**
 * Runs the auto-deploy policies of a version just published and records what they did. `files`
 * are its manifests when the publish has them in hand (checked, and the bytes it stored).
 */
async function finishPublish(
  context: PublishContext,
  app: AppRow,
  published: VersionRow,
  requestedBy: string,
  files?: ManifestFile[],
): Promise<PublishResponse> {
  const { database } = context;
  const ref = { app: app.name, id: published.id };
  const outcome = await runAutoDeploys(context, app, published, requestedBy, files);
  await writeTransaction(database, (trx) =>
    setAutoDeploys(trx, ref, {
      deployments: outcome.deployments.map((d) => d.id),
      skipped: outcome.skipped,
    }),
  );
  const deployedTo = await deployedToOf(database.db, app.name, appEnvironments(app));
  return {
    version: toVersion(published, deployedTo.get(published.id) ?? [], JSON.parse(published.files ?? '[]')),
    deployments: outcome.deployments,
    skipped: outcome.skipped,
  };
}

/** The answer to a repeated publish: the version, and what its first publish auto-deployed. */
async function answerOf(context: PublishContext, app: AppRow, version: VersionRow): Promise<PublishResponse> {
  const record = readAutoDeploys(version);
  const deployments = await deploymentsById(context.database.db, record.deployments);
  const deployedTo = await deployedToOf(context.database.db, version.app, appEnvironments(app));
  return {
    version: toVersion(version, deployedTo.get(version.id) ?? [], JSON.parse(version.files ?? '[]')),
    deployments: deployments.map(toDeployment),
    skipped: record.skipped as SkippedDeploy[],
  };
}
