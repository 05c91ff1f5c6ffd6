/** Bounds on an uploaded bundle; smithd makes them configurable. */
export interface BundleLimits {
  /** The bundle file itself, as uploaded (gzip'd). */
  maxCompressedBytes: number;
  /** Entries in the archive (files and folders). */
  maxFiles: number;
  /** Largest single file, counted while reading (the header's size is not trusted alone). */
  maxFileBytes: number;
  /** All files together, unpacked. */
  maxUnpackedBytes: number;
  /** Unpacked ÷ packed size, checked once more than 1 MiB is unpacked: catches gzip bombs early. */
  maxCompressionRatio: number;
  /** `version.yml` holds a few short fields. */
  maxVersionFileBytes: number;
}

export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxCompressedBytes: 256 * 1024 * 1024,
  maxFiles: 5_000,
  maxFileBytes: 10 * 1024 * 1024,
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxVersionFileBytes: 16 * 1024,
});

export function resolveBundleLimits(limits: Partial<BundleLimits> = {}): BundleLimits {
  const resolved = { ...DEFAULT_BUNDLE_LIMITS };
  for (const key of Object.keys(resolved) as (keyof BundleLimits)[]) {
    const value = limits[key];
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}
