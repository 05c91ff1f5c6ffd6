/** A page of an app's deployments, newest first. */
import type { DeploymentList } from '@deploysmith/core';
import type { Kysely } from 'kysely';
import { decodeCursor, encodeCursor } from '../db/cursor.ts';
import { listDeploymentRows, toDeployment } from '../db/deployments.ts';
import type { Schema } from '../db/schema.ts';

export async function listDeployments(
  db: Kysely<Schema>,
  request: { app: string; environment?: string; limit: number; cursor?: string },
): Promise<DeploymentList> {
  const rows = await listDeploymentRows(db, {
    app: request.app,
    environment: request.environment,
    limit: request.limit + 1,
    before: decodeCursor(request.cursor),
  });
  const page = rows.slice(0, request.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toDeployment),
    nextCursor: rows.length > request.limit && last ? encodeCursor(Number(last.seq)) : null,
  };
}
