/**
 * `forge publish` as a library call: validation (alongside reading the metadata) → pack (to a
 * temporary file) → draft → upload (streamed from disk, retried) → publish. Every step is safe to repeat:
 * the same commit gives the same version.yml and the bundle is packed deterministically, so a rerun
 * sends the same sha256, and smithd answers a draft of already published content with no upload
 * and a repeated publish with the first publish's result. A version is only published after its
 * upload succeeded, so a failure at any point leaves nothing half-published.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packBundle } from '@deploysmith/bundle';
import { SmithClient } from '@deploysmith/client';
import {
  assertAppName,
  type Deployment,
  DeploySmithError,
  type DraftResponse,
  type SkippedDeploy,
  type UploadTarget,
  type Version,
  type VersionFile,
} from '@deploysmith/core';
import {
  type CollectedMetadata,
  collectMetadata,
  type MetadataOverrides,
  versionFile,
} from '../metadata/collect-metadata.ts';
import type { Connection } from './connection.ts';
import { formatSize } from './report.ts';
import { whileStreaming } from './streaming-memory.ts';

/** Runs one labelled step of the publish (cli-kit's `step` prints it with its timing). */
export type Step = <T>(label: string, run: () => Promise<T>) => Promise<T>;

export interface PublishInput {
  app: string;
  /** Folder of the manifests. */
  dir: string;
  connection: Connection;
  overrides?: MetadataOverrides;
  /** The metadata, when the caller started reading it already (from `overrides`, `env` and `cwd`). */
  metadata?: Promise<CollectedMetadata>;
  /** Validate locally before uploading (default true); off only to let smithd do it. */
  validate?: boolean;
  env?: Record<string, string | undefined>;
  /** Where git is asked about the commit. */
  cwd?: string;
  step?: Step;
  /** A line about something that happened along the way (an upload retry). */
  notice?: (line: string) => void;
  userAgent?: string;
}

export interface PublishResult {
  version: Version;
  /** Auto-deploys the publish made. */
  deployments: Deployment[];
  /** Environments with a matching policy that the publish did not deploy to, and why. */
  skipped: SkippedDeploy[];
  /** False when smithd already had this very bundle (a rerun). */
  uploaded: boolean;
}

const plain: Step = (_label, run) => run();

export async function publishVersion(input: PublishInput): Promise<PublishResult> {
  const step = input.step ?? plain;
  const notice = input.notice ?? (() => undefined);
  assertAppName(input.app);
  // git runs in its own process while the manifests are validated here: CI containers are slow to
  // start processes, and the two do not depend on each other.
  const metadata =
    input.metadata ?? collectMetadata({ overrides: input.overrides, env: input.env, cwd: input.cwd });
  metadata.catch(() => undefined);
  if (input.validate !== false) {
    await step(`Validating manifests in ${input.dir}`, async () => {
      // Loaded only when used: the Kubernetes schemas are the largest code forge has.
      const { validateManifestDir } = await import('../manifests/validate-dir.ts');
      return validateManifestDir(input.dir);
    });
  }
  const collected: CollectedMetadata = await step('Reading version metadata', () => metadata);
  const file: VersionFile = versionFile(input.app, collected);

  // The client first (it refuses a bad server URL): nothing may throw between mkdtemp and the try that removes it.
  const client = new SmithClient({
    server: input.connection.server,
    apiKey: input.connection.apiKey,
    userAgent: input.userAgent ?? 'forge',
  });
  const workDir = await mkdtemp(join(tmpdir(), 'forge-'));
  try {
    const bundle = await step('Packing bundle', () =>
      whileStreaming(() =>
        packBundle({ versionFile: file, manifestsDir: input.dir, output: join(workDir, 'bundle.tar.gz') }),
      ),
    );
    const request = { id: file.id, metadata: collected.metadata, sha256: bundle.sha256, size: bundle.size };
    const draft = () => client.draftVersion(input.app, request);
    const drafted: DraftResponse = await step(`Drafting ${input.app} ${file.id}`, draft);

    let uploaded = false;
    const target = drafted.upload;
    if (target !== null) {
      const upload = (to: UploadTarget) =>
        whileStreaming(() =>
          client.upload(to, bundle.path, {
            onRetry: (attempt, reason) => notice(`Upload attempt ${attempt} failed (${reason}); retrying.`),
          }),
        );
      await step(`Uploading ${formatSize(bundle.size)}`, async () => {
        try {
          await upload(target);
        } catch (error) {
          // The signed URL lives only minutes: a slow queue between draft and upload outlives it.
          // Drafting again is idempotent and hands out a fresh one; a second refusal is final.
          if (!(error instanceof DeploySmithError) || error.code !== 'upload_denied') throw error;
          notice('The upload URL was refused (expired?); drafting again for a fresh one.');
          const fresh = await draft();
          if (fresh.upload !== null) await upload(fresh.upload);
        }
      });
      uploaded = true;
    } else {
      notice(
        `smithd already has this bundle (sha256 ${bundle.sha256.slice(0, 12)}…); not uploading it again.`,
      );
    }

    const published = await step(`Publishing ${input.app} ${file.id}`, () =>
      client.publishVersion(input.app, file.id),
    );
    return { ...published, uploaded };
  } finally {
    await client.close().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}
