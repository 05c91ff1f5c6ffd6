/**
 * Drafts never published are deleted after 7 days: their database rows and their bundles (the
 * disk backend's part of what an S3 lifecycle rule does), with any copy a failed publish left under
 * `published/`, hourly and at start-up.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Context } from '../context.ts';
import { touchApps } from '../db/apps.ts';
import { writeTransaction } from '../db/transaction.ts';
import { deleteDraftRow, expiredDrafts } from '../db/versions.ts';
import { DRAFT_TTL_MS } from './types.ts';

const EVERY_MS = 60 * 60 * 1000;

export async function purgeExpiredDrafts(
  context: Pick<Context, 'database' | 'storage'>,
  now: Date = new Date(),
): Promise<{ drafts: number; files: number }> {
  const cutoff = new Date(now.getTime() - DRAFT_TTL_MS);
  let drafts = 0;
  for (;;) {
    const batch = await expiredDrafts(context.database.db, cutoff.toISOString());
    if (batch.length === 0) break;
    await writeTransaction(context.database, async (trx) => {
      for (const draft of batch) await deleteDraftRow(trx, draft);
      await touchApps(
        trx,
        batch.map((draft) => draft.app),
      );
    });
    for (const draft of batch) await context.storage.discard({ app: draft.app, version: draft.id });
    drafts += batch.length;
  }
  const files = await context.storage.purgeDraftsOlderThan(cutoff);
  return { drafts, files };
}

export function startJanitor(
  context: Pick<Context, 'database' | 'storage'>,
  log: FastifyBaseLogger,
): { stop(): void } {
  const { storage } = context;
  // Until the store has answered once, the lifecycle rule is tried again with every run.
  let expiryKnown = storage.ensureDraftExpiry === undefined;
  const ensureExpiry = async () => {
    if (expiryKnown || storage.ensureDraftExpiry === undefined) return;
    try {
      const expiry = await storage.ensureDraftExpiry();
      expiryKnown = true;
      if (expiry.state === 'unsupported') {
        log.warn(
          { storage: storage.where },
          `no lifecycle rule expires drafts: ${expiry.reason}; smithd's janitor deletes drafts older than 7 days instead (hourly)`,
        );
      } else if (expiry.state === 'created') {
        log.info({ storage: storage.where }, 'added the lifecycle rule that expires drafts/ after 7 days');
      }
    } catch (error) {
      log.warn({ err: error }, 'cannot check the lifecycle rule for drafts yet; trying again in an hour');
    }
  };
  const run = async () => {
    await ensureExpiry();
    await purgeExpiredDrafts(context).then(
      (result) => {
        if (result.drafts + result.files > 0) log.info(result, 'deleted drafts older than 7 days');
      },
      (error: unknown) => log.warn({ err: error }, 'draft janitor failed; it tries again in an hour'),
    );
  };
  void run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
