/**
 * Drafts never published are deleted after 7 days: their database rows and their bundles (the
 * disk backend's part of what an S3 lifecycle rule does), hourly and at start-up.
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
    for (const draft of batch) await context.storage.deleteDraft({ app: draft.app, version: draft.id });
    drafts += batch.length;
  }
  const files = await context.storage.purgeDraftsOlderThan(cutoff);
  return { drafts, files };
}

export function startJanitor(
  context: Pick<Context, 'database' | 'storage'>,
  log: FastifyBaseLogger,
): { stop(): void } {
  const run = () =>
    purgeExpiredDrafts(context).then(
      (result) => {
        if (result.drafts + result.files > 0) log.info(result, 'deleted drafts older than 7 days');
      },
      (error: unknown) => log.warn({ err: error }, 'draft janitor failed; it tries again in an hour'),
    );
  void run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
