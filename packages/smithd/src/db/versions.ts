/** Version rows: drafts and published versions of an app, newest first by `position`. */
import type { Version, VersionMetadata } from '@deploysmith/core';
import type { Kysely, Selectable } from 'kysely';
import type { Schema, VersionsTable } from './schema.ts';

export type VersionRow = Selectable<VersionsTable>;
/** A row without the columns only one-version reads need. */
export type VersionListRow = Omit<VersionRow, 'files' | 'auto_deploys'>;

const LIST_COLUMNS = [
  'app',
  'id',
  'state',
  'position',
  'git_sha',
  'branch',
  'tag',
  'committer',
  'build_number',
  'pipeline_url',
  'built_at',
  'sha256',
  'size',
  'created_at',
  'published_at',
] as const;

export function metadataColumns(metadata: VersionMetadata) {
  return {
    git_sha: metadata.gitSha,
    branch: metadata.branch,
    tag: metadata.tag,
    committer: metadata.committer,
    build_number: metadata.buildNumber,
    pipeline_url: metadata.pipelineUrl,
    built_at: metadata.createdAt,
  };
}

export function toVersion(row: VersionListRow, deployedTo: string[], files?: string[]): Version {
  return {
    app: row.app,
    id: row.id,
    state: row.state,
    metadata: {
      gitSha: row.git_sha,
      branch: row.branch,
      tag: row.tag,
      committer: row.committer,
      buildNumber: row.build_number,
      pipelineUrl: row.pipeline_url,
      createdAt: row.built_at,
    },
    sha256: row.sha256,
    size: Number(row.size),
    createdAt: row.created_at,
    publishedAt: row.published_at,
    deployedTo,
    ...(files === undefined ? {} : { files }),
  };
}

export function getVersion(db: Kysely<Schema>, app: string, id: string): Promise<VersionRow | undefined> {
  return db.selectFrom('versions').selectAll().where('app', '=', app).where('id', '=', id).executeTakeFirst();
}

/** The next position in the app's newest-first order; call inside the write transaction. */
export async function nextPosition(db: Kysely<Schema>, app: string): Promise<number> {
  const row = await db
    .selectFrom('versions')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('app', '=', app)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function insertVersion(db: Kysely<Schema>, row: VersionRow): Promise<void> {
  await db.insertInto('versions').values(row).execute();
}

export async function replaceDraft(db: Kysely<Schema>, row: VersionRow): Promise<void> {
  const { app, id, ...rest } = row;
  await db
    .updateTable('versions')
    .set(rest)
    .where('app', '=', app)
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .execute();
}

export async function markPublished(
  db: Kysely<Schema>,
  ref: { app: string; id: string },
  values: { position: number; publishedAt: string; files: string[] },
): Promise<void> {
  await db
    .updateTable('versions')
    .set({
      state: 'published',
      position: values.position,
      published_at: values.publishedAt,
      files: JSON.stringify(values.files),
    })
    .where('app', '=', ref.app)
    .where('id', '=', ref.id)
    .execute();
}

export interface AutoDeployRecord {
  deployments: string[];
  skipped: { environment: string; reason: string }[];
}

export function readAutoDeploys(row: VersionRow): AutoDeployRecord {
  return row.auto_deploys === null
    ? { deployments: [], skipped: [] }
    : (JSON.parse(row.auto_deploys) as AutoDeployRecord);
}

export async function setAutoDeploys(
  db: Kysely<Schema>,
  ref: { app: string; id: string },
  record: AutoDeployRecord,
): Promise<void> {
  await db
    .updateTable('versions')
    .set({ auto_deploys: JSON.stringify(record) })
    .where('app', '=', ref.app)
    .where('id', '=', ref.id)
    .execute();
}

export interface VersionPageQuery {
  app: string;
  limit: number;
  /** Only versions below this position (the cursor). */
  before?: number;
  /** Only versions of exactly this branch. */
  branch?: string;
}

export function listVersionRows(db: Kysely<Schema>, query: VersionPageQuery): Promise<VersionListRow[]> {
  let select = db.selectFrom('versions').select(LIST_COLUMNS).where('app', '=', query.app);
  if (query.branch !== undefined) select = select.where('branch', '=', query.branch);
  if (query.before !== undefined) select = select.where('position', '<', query.before);
  return select.orderBy('position', 'desc').limit(query.limit).execute();
}

export function expiredDrafts(db: Kysely<Schema>, cutoff: string): Promise<{ app: string; id: string }[]> {
  return db
    .selectFrom('versions')
    .select(['app', 'id'])
    .where('state', '=', 'draft')
    .where('created_at', '<', cutoff)
    .limit(1000)
    .execute();
}

export async function deleteDraftRow(db: Kysely<Schema>, ref: { app: string; id: string }): Promise<void> {
  await db
    .deleteFrom('versions')
    .where('app', '=', ref.app)
    .where('id', '=', ref.id)
    .where('state', '=', 'draft')
    .execute();
}

/** Publish positions of the given versions, for comparing which is newer. */
export async function publishedPositions(
  db: Kysely<Schema>,
  app: string,
  ids: string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('versions')
    .select(['id', 'position'])
    .where('app', '=', app)
    .where('id', 'in', ids)
    .where('state', '=', 'published')
    .execute();
  return new Map(rows.map((row) => [row.id, Number(row.position)]));
}
