/** The first schema. A migration takes Kysely<any>: it must not depend on today's schema type. */
import { type Kysely, PostgresAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_prefix').on('api_keys').column('prefix').execute();

  await db.schema
    .createTable('apps')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('environments', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('versions')
    .addColumn('app', 'text', (col) => col.notNull().references('apps.name'))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('git_sha', 'text', (col) => col.notNull())
    .addColumn('branch', 'text')
    .addColumn('tag', 'text')
    .addColumn('committer', 'text')
    .addColumn('build_number', 'text')
    .addColumn('pipeline_url', 'text')
    .addColumn('built_at', 'text', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('published_at', 'text')
    .addColumn('files', 'text')
    .addColumn('auto_deploys', 'text')
    .addPrimaryKeyConstraint('versions_pk', ['app', 'id'])
    .execute();
  await db.schema
    .createIndex('versions_position')
    .on('versions')
    .columns(['app', 'position'])
    .unique()
    .execute();
  await db.schema
    .createIndex('versions_branch')
    .on('versions')
    .columns(['app', 'branch', 'position'])
    .execute();
  await db.schema.createIndex('versions_drafts').on('versions').columns(['state', 'created_at']).execute();

  // Deployments have no foreign keys: `history rebuild` refills them from git alone.
  await db.schema
    .createTable('deployments')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (col) =>
      postgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (col) => col.notNull().unique())
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('app', 'text', (col) => col.notNull())
    .addColumn('environment', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('commit', 'text')
    .addColumn('previous_version', 'text')
    .addColumn('requested_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('deployments_app').on('deployments').columns(['app', 'seq']).execute();
  await db.schema
    .createIndex('deployments_app_env')
    .on('deployments')
    .columns(['app', 'environment', 'seq'])
    .execute();
  await db.schema
    .createIndex('deployments_current')
    .on('deployments')
    .columns(['app', 'status', 'environment', 'seq'])
    .execute();
  await db.schema.createIndex('deployments_status').on('deployments').columns(['status', 'repo']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('app', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('deployment_id', 'text', (col) => col.notNull())
    .addColumn('environment', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('noop', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['app', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_deployment')
    .on('idempotency_keys')
    .column('deployment_id')
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('app', 'text', (col) => col.notNull().references('apps.name'))
    .addColumn('environment', 'text', (col) => col.notNull())
    .addColumn('branch', 'text')
    .addColumn('tag', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('policies_pk', ['app', 'environment'])
    .execute();

  await db.schema
    .createTable('pins')
    .addColumn('app', 'text', (col) => col.notNull())
    .addColumn('environment', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('pinned_by', 'text', (col) => col.notNull())
    .addColumn('pinned_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('pins_pk', ['app', 'environment'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'pins',
    'policies',
    'idempotency_keys',
    'deployments',
    'versions',
    'apps',
    'api_keys',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
