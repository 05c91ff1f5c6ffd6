/**
 * Drafting a version: records it (state draft) and hands out where to upload its bundle. A version
 * already published with the same bundle needs no upload; with another bundle it is a conflict,
 * because published versions never change.
 */
import { DeploySmithError, type DraftRequest, type DraftResponse } from '@deploysmith/core';
import { appEnvironments, getApp, touchApps } from '../db/apps.ts';
import type { Database } from '../db/connect.ts';
import { writeTransaction } from '../db/transaction.ts';
import {
  getVersion,
  insertVersion,
  metadataColumns,
  nextPosition,
  replaceDraft,
  toVersion,
  type VersionRow,
} from '../db/versions.ts';
import type { VersionStorage } from '../storage/types.ts';
import { deployedToOf } from './deployed-to.ts';

export interface DraftContext {
  database: Database;
  storage: VersionStorage;
  maxBundleBytes: number;
}

export async function draftVersion(
  context: DraftContext,
  appName: string,
  request: DraftRequest,
): Promise<{ created: boolean; response: DraftResponse }> {
  const { database, storage } = context;
  const app = await getApp(database.db, appName);
  if (!app) {
    throw new DeploySmithError('not_found', `No app named ${appName}.`, {
      hint: 'Register it first (POST /v1/apps; forge publish does it for you).',
    });
  }
  if (request.size > context.maxBundleBytes) {
    throw new DeploySmithError(
      'payload_too_large',
      `The bundle is ${request.size} bytes; this smithd accepts at most ${context.maxBundleBytes}.`,
      {
        hint: 'Keep large files out of the manifests, or raise limits.bundleBytes in the smithd configuration.',
      },
    );
  }
  const existing = await getVersion(database.db, appName, request.id);
  if (existing?.state === 'published') {
    if (existing.sha256 !== request.sha256) {
      throw new DeploySmithError(
        'conflict',
        `Version ${request.id} of ${appName} is already published with different content (sha256 ${existing.sha256}).`,
        { hint: 'Published versions never change: give the new build a new version id.' },
      );
    }
    const deployedTo = await deployedToOf(database.db, appName, appEnvironments(app));
    return {
      created: false,
      response: { version: toVersion(existing, deployedTo.get(existing.id) ?? []), upload: null },
    };
  }
  // The storage is asked first (the S3 upload URL checks the bucket answers), so a store that does
  // not answer fails the draft before anything is recorded.
  const upload = await storage.draftUploadTarget({ app: appName, version: request.id }, request);
  // The old upload of a replaced draft is for other content: it must not be published by mistake.
  if (existing && (existing.sha256 !== request.sha256 || Number(existing.size) !== request.size)) {
    await storage.deleteDraft({ app: appName, version: request.id });
  }
  const now = new Date().toISOString();
  const row = await writeTransaction(database, async (trx) => {
    const row: VersionRow = {
      app: appName,
      id: request.id,
      state: 'draft',
      position: await nextPosition(trx, appName),
      ...metadataColumns(request.metadata),
      sha256: request.sha256,
      size: request.size,
      created_at: now,
      published_at: null,
      files: null,
      auto_deploys: null,
    };
    const current = await getVersion(trx, appName, request.id);
    if (current === undefined) await insertVersion(trx, row);
    else if (current.state === 'draft') await replaceDraft(trx, row);
    else
      throw new DeploySmithError('conflict', `Version ${request.id} of ${appName} was published meanwhile.`);
    await touchApps(trx, [appName]);
    return row;
  });
  return { created: true, response: { version: toVersion(row, []), upload } };
}
