/**
 * The smithd HTTP API (v1) as TypeBox schemas: smithd validates requests and serialises responses
 * with them (and publishes them in /openapi.json); the client derives its types from them.
 */
import Type, { type Static } from 'typebox';
import { AppName, EnvironmentName, KeyName, RepoName, VersionId } from './names.ts';
import { VersionMetadata } from './version-metadata.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256' });
const Glob = Type.String({ minLength: 1, maxLength: 255 });
const Cursor = Type.String({ minLength: 1, maxLength: 256, description: 'Opaque paging cursor' });

export const DeploymentKind = Type.Union([
  Type.Literal('deploy'),
  Type.Literal('auto-deploy'),
  Type.Literal('rollback'),
]);
export type DeploymentKind = Static<typeof DeploymentKind>;

export const DeploymentStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);
export type DeploymentStatus = Static<typeof DeploymentStatus>;

// ---------------------------------------------------------------------------------------------
// Resources

export const Pin = Type.Object({
  app: AppName,
  environment: EnvironmentName,
  version: VersionId,
  pinnedBy: Type.String(),
  pinnedAt: Timestamp,
});
export type Pin = Static<typeof Pin>;

export const Policy = Type.Object({
  app: AppName,
  environment: EnvironmentName,
  branch: Nullable(Glob),
  tag: Nullable(Glob),
  updatedAt: Timestamp,
});
export type Policy = Static<typeof Policy>;

export const Deployment = Type.Object({
  id: Type.String(),
  app: AppName,
  environment: EnvironmentName,
  version: VersionId,
  kind: DeploymentKind,
  status: DeploymentStatus,
  /** The GitOps commit that carries the deploy; null until it succeeded. */
  commit: Nullable(Type.String()),
  previousVersion: Nullable(VersionId),
  requestedBy: Type.String(),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  /** Why a failed deploy failed. */
  error: Nullable(Type.String()),
});
export type Deployment = Static<typeof Deployment>;

/** What runs in one environment of an app. */
export const EnvironmentStatus = Type.Object({
  environment: EnvironmentName,
  /** The last deploy that succeeded, or null when nothing was deployed yet. */
  current: Nullable(Deployment),
  pin: Nullable(Pin),
  policy: Nullable(Policy),
});
export type EnvironmentStatus = Static<typeof EnvironmentStatus>;

export const App = Type.Object({
  name: AppName,
  repo: RepoName,
  environments: Type.Array(EnvironmentName),
  createdAt: Timestamp,
  status: Type.Array(EnvironmentStatus),
});
export type App = Static<typeof App>;

export const VersionState = Type.Union([Type.Literal('draft'), Type.Literal('published')]);
export type VersionState = Static<typeof VersionState>;

export const Version = Type.Object({
  app: AppName,
  id: VersionId,
  state: VersionState,
  metadata: VersionMetadata,
  sha256: Sha256,
  size: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
  publishedAt: Nullable(Timestamp),
  /** Environments where this version is the current deploy. */
  deployedTo: Type.Array(EnvironmentName),
  /** Paths of the manifests, relative to `manifests/`; only on GET of one version. */
  files: Type.Optional(Type.Array(Type.String())),
});
export type Version = Static<typeof Version>;

export const UploadTarget = Type.Object({
  method: Type.Literal('PUT'),
  url: Type.String(),
  /** Headers the upload must carry exactly (content length, checksum). */
  headers: Type.Record(Type.String(), Type.String()),
  expiresAt: Timestamp,
});
export type UploadTarget = Static<typeof UploadTarget>;

/** Files a deploy adds, changes and removes, relative to the repo root, and their unified diff. */
export const DeployPlan = Type.Object({
  added: Type.Array(Type.String()),
  changed: Type.Array(Type.String()),
  removed: Type.Array(Type.String()),
  diff: Type.String(),
});
export type DeployPlan = Static<typeof DeployPlan>;

/** An auto-deploy a publish did not make, and why. */
export const SkippedDeploy = Type.Object({
  environment: EnvironmentName,
  reason: Type.String(),
});
export type SkippedDeploy = Static<typeof SkippedDeploy>;

// ---------------------------------------------------------------------------------------------
// Requests and responses

export const RegisterAppRequest = Type.Object(
  {
    name: AppName,
    /** A configured GitOps repo; may be left out when smithd has only one. */
    repo: Type.Optional(RepoName),
    environments: Type.Array(EnvironmentName, { minItems: 1, maxItems: 64, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type RegisterAppRequest = Static<typeof RegisterAppRequest>;

export const AppList = Type.Object({ items: Type.Array(App) });
export type AppList = Static<typeof AppList>;

export const DraftRequest = Type.Object(
  {
    id: VersionId,
    metadata: VersionMetadata,
    sha256: Sha256,
    size: Type.Integer({ minimum: 1, description: 'Bundle size in bytes' }),
  },
  { additionalProperties: false },
);
export type DraftRequest = Static<typeof DraftRequest>;

export const DraftResponse = Type.Object({
  version: Version,
  /** Where to PUT the bundle; null when the same content is already published. */
  upload: Nullable(UploadTarget),
});
export type DraftResponse = Static<typeof DraftResponse>;

export const PublishResponse = Type.Object({
  version: Version,
  /** Auto-deploys the publish made (on a repeated publish: the ones the first publish made). */
  deployments: Type.Array(Deployment),
  skipped: Type.Array(SkippedDeploy),
});
export type PublishResponse = Static<typeof PublishResponse>;

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const VersionListQuery = Type.Object(
  { ...ListQuery.properties, branch: Type.Optional(Glob) },
  { additionalProperties: false },
);
export type VersionListQuery = Static<typeof VersionListQuery>;

export const VersionList = Type.Object({ items: Type.Array(Version), nextCursor: Nullable(Cursor) });
export type VersionList = Static<typeof VersionList>;

export const DeployRequest = Type.Object(
  {
    version: VersionId,
    environment: EnvironmentName,
    /** Plan only: return the diff, write nothing. */
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DeployRequest = Static<typeof DeployRequest>;

export const DeployResponse = Type.Object({
  deployment: Deployment,
  /** True when the version was already deployed there and nothing was written. */
  noop: Type.Boolean(),
});
export type DeployResponse = Static<typeof DeployResponse>;

export const DryRunResponse = Type.Object({
  dryRun: Type.Literal(true),
  app: AppName,
  environment: EnvironmentName,
  version: VersionId,
  kind: DeploymentKind,
  previousVersion: Nullable(VersionId),
  plan: DeployPlan,
});
export type DryRunResponse = Static<typeof DryRunResponse>;

export const DeploymentListQuery = Type.Object(
  { ...ListQuery.properties, environment: Type.Optional(EnvironmentName) },
  { additionalProperties: false },
);
export type DeploymentListQuery = Static<typeof DeploymentListQuery>;

export const DeploymentList = Type.Object({ items: Type.Array(Deployment), nextCursor: Nullable(Cursor) });
export type DeploymentList = Static<typeof DeploymentList>;

export const PolicyRequest = Type.Object(
  { branch: Type.Optional(Nullable(Glob)), tag: Type.Optional(Nullable(Glob)) },
  { additionalProperties: false },
);
export type PolicyRequest = Static<typeof PolicyRequest>;

export const PolicyList = Type.Object({ items: Type.Array(Policy) });
export type PolicyList = Static<typeof PolicyList>;

export const ApiKeyInfo = Type.Object({
  id: Type.String(),
  name: KeyName,
  /** The first characters of the key, enough to recognise it. */
  prefix: Type.String(),
  createdAt: Timestamp,
  revokedAt: Nullable(Timestamp),
});
export type ApiKeyInfo = Static<typeof ApiKeyInfo>;

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    hint: Type.Optional(Type.String()),
    details: Type.Optional(
      Type.Array(
        Type.Object({
          file: Type.Optional(Type.String()),
          line: Type.Optional(Type.Integer()),
          document: Type.Optional(Type.Integer()),
          field: Type.Optional(Type.String()),
          message: Type.String(),
        }),
      ),
    ),
  }),
});

/** Header that makes a deploy request safe to retry. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Prefix of every API key, so secret scanners can recognise a leaked one. */
export const API_KEY_PREFIX = 'dsk_';
