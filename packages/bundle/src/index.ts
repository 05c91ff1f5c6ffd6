export { type BundleLimits, DEFAULT_BUNDLE_LIMITS } from './limits.ts';
export { type CollectedManifest, collectManifests } from './pack/collect-manifests.ts';
export { type PackedBundle, type PackOptions, packBundle } from './pack/pack-bundle.ts';
export { manifestPathProblem } from './paths.ts';
export { type ReadBundle, readBundle } from './read/read-bundle.ts';
export { sha256File } from './sha256.ts';
