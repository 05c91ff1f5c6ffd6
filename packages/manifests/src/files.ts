/**
 * Which files of a version are manifests. Only `.yaml`/`.yml` files are: smithd writes a version's
 * files into the GitOps repo byte for byte, so anything else (a README, a script) would land in the
 * cluster's source of truth without being checked. A `kustomization.yaml` is allowed; it is kustomize's
 * configuration, not an object.
 */

/** tinyglobby/picomatch pattern that selects manifests under a folder, nested folders included. */
export const MANIFEST_GLOB = '**/*.{yaml,yml}';

export function isManifestPath(path: string): boolean {
  return /\.ya?ml$/.test(path);
}

export function isKustomizationPath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'kustomization.yaml' || base === 'kustomization.yml';
}
