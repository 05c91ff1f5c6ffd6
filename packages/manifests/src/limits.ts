/**
 * Bounds on the YAML we parse. Manifests come from CI pipelines and, on smithd, from anyone with an
 * API key, so every dimension an attacker could inflate has a ceiling.
 */
export interface ManifestLimits {
  /** Largest single file. Kubernetes stores at most ~1.5 MiB per object, so this leaves room for many. */
  maxFileBytes: number;
  /** All files of a version together. */
  maxTotalBytes: number;
  /** One object as JSON, as a client sends it: etcd's default request limit, so a bigger one could never be stored. */
  maxObjectBytes: number;
  /** YAML documents in one file. */
  maxDocumentsPerFile: number;
  /** Kubernetes objects in one version. */
  maxObjects: number;
  /** Alias nodes resolved per document (the "billion laughs" bound of the yaml package). */
  maxAliasCount: number;
  /** Nesting of mappings and sequences in one document. */
  maxDepth: number;
  /** Problems reported before validation stops (a broken file can have thousands). */
  maxProblems: number;
}

export const DEFAULT_MANIFEST_LIMITS: Readonly<ManifestLimits> = Object.freeze({
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxObjectBytes: 1.5 * 1024 * 1024,
  maxDocumentsPerFile: 1_000,
  maxObjects: 10_000,
  maxAliasCount: 100,
  maxDepth: 100,
  maxProblems: 100,
});

export function resolveManifestLimits(limits: Partial<ManifestLimits> = {}): ManifestLimits {
  const resolved = { ...DEFAULT_MANIFEST_LIMITS };
  for (const key of Object.keys(resolved) as (keyof ManifestLimits)[]) {
    const value = limits[key];
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}
