/**
 * The database, declared once. Timestamps are ISO-8601 text and lists are JSON text, so the same
 * migrations and queries run on SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface ApiKeysTable {
  id: string;
  name: string;
  /** The first characters of the key, to find its row and to recognise it in a list. */
  prefix: string;
  /** SHA-256 of the whole key, hex; the key itself is never stored. */
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AppsTable {
  name: string;
  repo: string;
  /** JSON array of environment names. */
  environments: string;
  created_at: string;
  /** Bumped with every change to the app's versions or succeeded deployments (cache key). */
  revision: number;
}

export interface VersionsTable {
  app: string;
  id: string;
  state: 'draft' | 'published';
  /** Newest first is `position` descending: set when drafted, set again when published. */
  position: number;
  git_sha: string;
  branch: string | null;
  tag: string | null;
  committer: string | null;
  build_number: string | null;
  pipeline_url: string | null;
  built_at: string;
  sha256: string;
  size: number;
  created_at: string;
  published_at: string | null;
  /** JSON array of manifest paths, set on publish. */
  files: string | null;
  /** JSON `{ deployments: id[], skipped: SkippedDeploy[] }`: what the publish's auto-deploys did, answered again on a repeated publish. */
  auto_deploys: string | null;
}

export interface DeploymentsTable {
  seq: Generated<number>;
  id: string;
  repo: string;
  app: string;
  environment: string;
  version: string;
  kind: 'deploy' | 'auto-deploy' | 'rollback';
  status: 'pending' | 'succeeded' | 'failed';
  commit: string | null;
  previous_version: string | null;
  requested_by: string;
  created_at: string;
  finished_at: string | null;
  error: string | null;
}

/** Idempotency-Key → the deployment it produced (or found already in place, `noop`). */
export interface IdempotencyKeysTable {
  app: string;
  key: string;
  deployment_id: string;
  environment: string;
  version: string;
  noop: number;
  created_at: string;
}

export interface PoliciesTable {
  app: string;
  environment: string;
  branch: string | null;
  tag: string | null;
  updated_at: string;
}

export interface PinsTable {
  app: string;
  environment: string;
  version: string;
  pinned_by: string;
  pinned_at: string;
}

export interface Schema {
  api_keys: ApiKeysTable;
  apps: AppsTable;
  versions: VersionsTable;
  deployments: DeploymentsTable;
  idempotency_keys: IdempotencyKeysTable;
  policies: PoliciesTable;
  pins: PinsTable;
}
