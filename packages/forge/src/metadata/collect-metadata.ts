/**
 * The metadata of the version being built, field by field: a flag wins, then the CI variables,
 * then git. `createdAt` must not change when a build is retried (a retried publish has to send the
 * same version.yml, or the bundle's sha256 changes): it is the pipeline's creation time when the CI
 * gives one, else the commit's committer date, and only without either the current time.
 */
import {
  assertAppName,
  assertVersionId,
  DeploySmithError,
  type VersionFile,
  VersionMetadata,
} from '@deploysmith/core';
import Value from 'typebox/value';
import { type CiFacts, type CiProvider, readCiEnvironment } from './ci-environment.ts';
import { readGitFacts } from './git-facts.ts';
import { defaultVersionId } from './version-id.ts';

/** Values given on the command line; each replaces what CI or git would say. */
export interface MetadataOverrides {
  version?: string;
  gitSha?: string;
  branch?: string;
  tag?: string;
  committer?: string;
  buildNumber?: string;
  pipelineUrl?: string;
  createdAt?: string;
}

export interface CollectOptions {
  overrides?: MetadataOverrides;
  env?: Record<string, string | undefined>;
  /** Where git is asked; the current directory by default. */
  cwd?: string;
  now?: () => Date;
}

export interface CollectedMetadata {
  id: string;
  metadata: VersionMetadata;
  /** The CI the values came from, or null outside a known CI. */
  ci: CiProvider | null;
}

export async function collectMetadata(options: CollectOptions = {}): Promise<CollectedMetadata> {
  const flags = options.overrides ?? {};
  const env = options.env ?? process.env;
  const ci: CiFacts | undefined = readCiEnvironment(env);

  const requestedSha = flags.gitSha ?? ci?.gitSha;
  if (flags.gitSha !== undefined && !/^[0-9a-f]{7,64}$/i.test(flags.gitSha)) {
    throw new DeploySmithError(
      'invalid_input',
      `--git-sha ${JSON.stringify(flags.gitSha)} is not a commit id.`,
      {
        hint: 'Give the hexadecimal commit sha, e.g. --git-sha 42540c4e1d.',
      },
    );
  }
  const git = await readGitFacts(options.cwd ?? process.cwd(), requestedSha ?? 'HEAD');
  // git expands a short sha given by flag; a commit it does not have is taken as given.
  const gitSha = (git.gitSha ?? requestedSha)?.toLowerCase();
  if (gitSha === undefined) {
    throw new DeploySmithError('invalid_input', 'Cannot tell which commit this version is built from.', {
      hint: 'Run forge inside the git checkout of the app, or give --git-sha (and --version).',
    });
  }

  const metadata: VersionMetadata = {
    gitSha,
    branch: pick(flags.branch, ci?.branch, git.branch),
    tag: pick(flags.tag, ci?.tag, git.tag),
    committer: pick(flags.committer, git.committer, ci?.committer, ci?.actor),
    buildNumber: pick(flags.buildNumber, ci?.buildNumber),
    pipelineUrl: pick(flags.pipelineUrl, ci?.pipelineUrl),
    createdAt: createdAt(flags.createdAt, ci?.createdAt, git.committedAt, options.now),
  };
  assertValidMetadata(metadata);
  const id =
    flags.version === undefined
      ? defaultVersionId(gitSha, metadata.buildNumber)
      : assertVersionId(flags.version);
  return { id, metadata, ci: ci?.provider ?? null };
}

/** The whole version.yml of a version of `app`. */
export function versionFile(app: string, collected: CollectedMetadata): VersionFile {
  return { app: assertAppName(app), id: collected.id, ...collected.metadata };
}

/** The first value that is known; `null` (known to be absent) stops the search. */
function pick(...values: Array<string | null | undefined>): string | null {
  for (const value of values) {
    if (value === null) return null;
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return null;
}

function createdAt(
  flag: string | undefined,
  ci: string | undefined,
  commit: string | undefined,
  now?: () => Date,
): string {
  if (flag !== undefined) {
    const time = new Date(flag);
    if (Number.isNaN(time.getTime())) {
      throw new DeploySmithError(
        'invalid_input',
        `--created-at ${JSON.stringify(flag)} is not a date and time.`,
        {
          hint: 'Give an ISO 8601 time, e.g. --created-at 2025-01-31T12:00:00Z.',
        },
      );
    }
    return time.toISOString();
  }
  return ci ?? commit ?? (now ?? (() => new Date()))().toISOString();
}

function assertValidMetadata(metadata: VersionMetadata): void {
  if (Value.Check(VersionMetadata, metadata)) return;
  const details = Value.Errors(VersionMetadata, metadata).map((error) => ({
    field: error.instancePath.replace(/^\//, '').replaceAll('/', '.'),
    message: error.message,
  }));
  throw new DeploySmithError('invalid_input', 'The version metadata is not valid.', {
    hint: 'Fix the flag or CI variable named below.',
    details,
  });
}
