/** One manifest file of a version, as published, byte for byte. */
export interface ManifestFile {
  /** Relative to the bundle's `manifests/` folder, POSIX separators, already checked to be safe. */
  path: string;
  content: Uint8Array;
}
