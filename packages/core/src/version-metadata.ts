/**
 * `version.yml`: the metadata at the root of every version bundle, written by forge and read by
 * smithd. The same fields travel in the draft request.
 */
import Type, { type Static } from 'typebox';
import { AppName, VersionId } from './names.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const VersionMetadata = Type.Object(
  {
    gitSha: Type.String({ pattern: '^[0-9a-f]{7,64}$', description: 'Commit the version was built from' }),
    branch: Nullable(Type.String({ minLength: 1, maxLength: 255 })),
    tag: Nullable(Type.String({ minLength: 1, maxLength: 255 })),
    committer: Nullable(Type.String({ minLength: 1, maxLength: 255 })),
    buildNumber: Nullable(Type.String({ minLength: 1, maxLength: 64 })),
    pipelineUrl: Nullable(Type.String({ minLength: 1, maxLength: 2048 })),
    createdAt: Type.String({ format: 'date-time', description: 'When CI built the version' }),
  },
  { additionalProperties: false },
);
export type VersionMetadata = Static<typeof VersionMetadata>;

/** The whole `version.yml` document. */
export const VersionFile = Type.Object(
  {
    app: AppName,
    id: VersionId,
    ...VersionMetadata.properties,
  },
  { additionalProperties: false },
);
export type VersionFile = Static<typeof VersionFile>;

/** Name of the metadata file at the bundle root, and the folder that holds the manifests. */
export const VERSION_FILE = 'version.yml';
export const MANIFESTS_DIR = 'manifests';
