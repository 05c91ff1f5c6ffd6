/** One manifest file of a version, as published, byte for byte. */
export interface ManifestFile {
  /** Relative to the bundle's `manifests/` folder, POSIX separators, already checked to be safe. */
  path: string;
  content: Uint8Array;
}

export { isKustomizationPath, isManifestPath, MANIFEST_GLOB } from './files.ts';
export { DEFAULT_MANIFEST_LIMITS, type ManifestLimits } from './limits.ts';
export type { ManifestObject } from './objects/manifest-object.ts';
export {
  assertValidManifests,
  formatProblem,
  type ManifestValidation,
  parseManifestObjects,
  validateManifests,
} from './validate-manifests.ts';
