/**
 * A page of an app's versions, newest first. A plain branch name is an indexed query; a glob scans
 * the app's versions in chunks, newest first, and stops after a bounded number of rows, handing
 * back a cursor to go on from (a page may then hold fewer items than asked for).
 */
import type { VersionList } from '@deploysmith/core';
import type { Kysely } from 'kysely';
import { decodeCursor, encodeCursor } from '../db/cursor.ts';
import type { Schema } from '../db/schema.ts';
import { listVersionRows, toVersion, type VersionListRow } from '../db/versions.ts';
import { deployedToOf } from '../publish/deployed-to.ts';
import { globMatcher, isLiteralGlob } from '../publish/glob.ts';

const SCAN_CHUNK = 500;
const SCAN_LIMIT = 20_000;

export interface VersionListRequest {
  app: string;
  /** The app's environments, for where each version runs. */
  environments: string[];
  limit: number;
  cursor?: string;
  branch?: string;
}

export async function listVersions(db: Kysely<Schema>, request: VersionListRequest): Promise<VersionList> {
  const before = decodeCursor(request.cursor);
  const [page, deployedTo] = await Promise.all([
    pageOf(db, request, before),
    deployedToOf(db, request.app, request.environments),
  ]);
  return {
    items: page.rows.map((row) => toVersion(row, deployedTo.get(row.id) ?? [])),
    nextCursor: page.next === undefined ? null : encodeCursor(page.next),
  };
}

async function pageOf(
  db: Kysely<Schema>,
  request: VersionListRequest,
  before: number | undefined,
): Promise<{ rows: VersionListRow[]; next?: number }> {
  const { app, limit, branch } = request;
  if (branch === undefined || isLiteralGlob(branch)) {
    // One row more than asked tells whether there is a next page.
    const rows = await listVersionRows(db, { app, limit: limit + 1, before, branch });
    const page = rows.slice(0, limit);
    return { rows: page, next: rows.length > limit ? Number(page[page.length - 1]?.position) : undefined };
  }
  const matches = globMatcher(branch);
  const rows: VersionListRow[] = [];
  let position = before;
  let scanned = 0;
  while (scanned < SCAN_LIMIT) {
    const chunk = await listVersionRows(db, { app, limit: SCAN_CHUNK, before: position });
    for (const row of chunk) {
      position = Number(row.position);
      if (!matches(row.branch)) continue;
      if (rows.length === limit) return { rows, next: Number(rows[rows.length - 1]?.position) };
      rows.push(row);
    }
    scanned += chunk.length;
    if (chunk.length < SCAN_CHUNK) return { rows };
  }
  return { rows, next: position };
}
