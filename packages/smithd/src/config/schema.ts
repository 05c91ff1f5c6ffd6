/**
 * The configuration file (`--config smithd.yaml`) as a TypeBox schema: every key is checked once,
 * when the file is read, and an unknown key is an error (a typo must not be silently ignored).
 */
import { EnvironmentName, RepoName } from '@deploysmith/core';
import Type, { type Static } from 'typebox';

export const KustomizeCheckSetting = Type.Union([
  Type.Literal('auto'),
  Type.Literal('always'),
  Type.Literal('never'),
]);

const Author = Type.Object(
  { name: Type.String({ minLength: 1 }), email: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

export const RepoSetting = Type.Object(
  {
    name: RepoName,
    url: Type.String({ minLength: 1, description: 'Clone URL or local path of the GitOps repository' }),
    branch: Type.Optional(Type.String({ minLength: 1 })),
    author: Type.Optional(Author),
  },
  { additionalProperties: false },
);

export const LimitsSetting = Type.Object(
  {
    /** Largest JSON request body. */
    requestBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
    /** Largest bundle (compressed) a draft may declare. */
    bundleBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
    /** Most files a bundle may hold. */
    bundleFiles: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Largest unpacked size of a bundle. */
    unpackedBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
  },
  { additionalProperties: false },
);

export const ConfigFile = Type.Object(
  {
    dataDir: Type.Optional(Type.String({ minLength: 1 })),
    listen: Type.Optional(Type.String({ minLength: 1 })),
    publicUrl: Type.Optional(Type.String({ minLength: 1 })),
    insecureListen: Type.Optional(Type.Boolean()),
    database: Type.Optional(Type.String({ minLength: 1 })),
    storage: Type.Optional(Type.String({ minLength: 1 })),
    tls: Type.Optional(
      Type.Object(
        { cert: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
    ),
    kustomizeCheck: Type.Optional(KustomizeCheckSetting),
    logLevel: Type.Optional(
      Type.Union([
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ]),
    ),
    repos: Type.Optional(Type.Array(RepoSetting)),
    /** Commit author of repos that do not set their own. */
    author: Type.Optional(Author),
    /** Environments of the embedded repository (used only when no repo is configured). */
    environments: Type.Optional(Type.Array(EnvironmentName, { minItems: 1 })),
    limits: Type.Optional(LimitsSetting),
  },
  { additionalProperties: false },
);
export type ConfigFile = Static<typeof ConfigFile>;
