/**
 * Where version bundles live: `drafts/<app>/<version>/bundle.tar.gz` until publish, then
 * `published/<app>/<version>/bundle.tar.gz`, kept forever. The disk backend is the embedded
 * default; the S3 backend (`s3.ts`) implements the same interface with pre-signed PUTs.
 */
import type { Readable } from 'node:stream';
import type { UploadTarget } from '@deploysmith/core';

export interface VersionRef {
  app: string;
  version: string;
}

/** What the draft request declared about the bundle. */
export interface BundleDeclaration {
  sha256: string;
  size: number;
}

/** A bundle as a file on the local disk, for as long as the caller needs it. */
export interface LocalBundle {
  path: string;
  release(): Promise<void>;
}

export interface VersionStorage {
  /** How messages name the store: its directory, or `s3://bucket/prefix`. */
  readonly where: string;
  /** Where to PUT the draft's bundle: valid 5 minutes, bound to the declared sha256 and size. */
  draftUploadTarget(ref: VersionRef, bundle: BundleDeclaration): Promise<UploadTarget>;
  /**
   * The uploaded draft, checked against the declaration: `invalid_bundle` when nothing was
   * uploaded, `checksum_mismatch` when its size or sha256 differ.
   */
  openDraft(ref: VersionRef, bundle: BundleDeclaration): Promise<LocalBundle>;
  /**
   * Checks the draft again and copies it to `published/`, read-only; repeating it after it
   * succeeded is harmless. The draft stays until `deleteDraft`, which publishing calls once the
   * database says published, so a publish that fails in between can simply be repeated.
   */
  promote(ref: VersionRef, bundle: BundleDeclaration): Promise<void>;
  openPublished(ref: VersionRef): Promise<LocalBundle>;
  deleteDraft(ref: VersionRef): Promise<void>;
  /**
   * Deletes what is stored for a draft the database let go of: the draft, and the copy under
   * `published/` a publish leaves when the store or the database fails after `promote`.
   */
  discard(ref: VersionRef): Promise<void>;
  /** Deletes draft objects older than `cutoff` the database may no longer know of. */
  purgeDraftsOlderThan(cutoff: Date): Promise<number>;
  /** Throws `storage_unavailable` when the storage does not answer (readiness). */
  ping(): Promise<void>;
  /**
   * Makes the store expire `drafts/` after 7 days by itself (an S3 lifecycle rule); absent when the
   * janitor is the only way (disk). Throws `storage_unavailable` when the store does not answer.
   */
  ensureDraftExpiry?(): Promise<DraftExpiry>;
  /** Present when smithd itself receives the uploads (disk backend). */
  readonly uploads?: UploadReceiver;
  close?(): Promise<void>;
}

export type DraftExpiry =
  | { state: 'present' }
  | { state: 'created' }
  | { state: 'unsupported'; reason: string };

export interface UploadRequest {
  key: string;
  query: Record<string, string | undefined>;
  contentLength: string | undefined;
  body: Readable;
}

export interface UploadReceiver {
  /** Verifies the signature, then streams the body to the key checking its length and sha256. */
  receive(request: UploadRequest): Promise<void>;
}

export const DRAFT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const UPLOAD_URL_TTL_SECONDS = 5 * 60;

export function draftKey(ref: VersionRef): string {
  return `drafts/${ref.app}/${ref.version}/bundle.tar.gz`;
}

export function publishedKey(ref: VersionRef): string {
  return `published/${ref.app}/${ref.version}/bundle.tar.gz`;
}
