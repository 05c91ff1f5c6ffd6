/**
 * The Flux layout of DESIGN.md: where each environment's files live, and the files a new repo or a
 * new environment starts with.
 */
import { newKustomizationText } from '@deploysmith/gitops';

export const appsDir = (env: string) => `environments/${env}/apps`;
export const appDir = (env: string, app: string) => `environments/${env}/apps/${app}`;
export const appsKustomizationPath = (env: string) => `environments/${env}/apps/kustomization.yaml`;
export const infrastructureKustomizationPath = (env: string) =>
  `environments/${env}/infrastructure/kustomization.yaml`;
export const clusterAppsPath = (env: string) => `clusters/${env}/apps.yaml`;
export const clusterInfrastructurePath = (env: string) => `clusters/${env}/infrastructure.yaml`;

export const APPS_KUSTOMIZATION_COMMENT =
  'The apps of this environment, one folder each. DeploySmith keeps this list sorted and\nleaves the rest of this file as it is.';

const INFRASTRUCTURE_KUSTOMIZATION_COMMENT =
  'Shared infrastructure of this environment (ingress, cert-manager, namespaces).\nEdited by hand; DeploySmith never writes here.';

/** A Flux Kustomization that applies `path` of this repo (the GitRepository `flux-system`). */
export function fluxKustomization(name: string, path: string, dependsOn?: string): string {
  const depends = dependsOn === undefined ? '' : `  dependsOn:\n    - name: ${dependsOn}\n`;
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m0s
${depends}  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./${path}
  prune: true
  wait: true
  timeout: 5m0s
`;
}

export function emptyAppsKustomization(): string {
  return newKustomizationText([], APPS_KUSTOMIZATION_COMMENT);
}

export const README = `# GitOps repository

Written by DeploySmith (smithd) and reconciled by Flux.

- \`clusters/<env>/\`: the Flux Kustomizations of one cluster; bootstrap its Flux with
  \`--path=clusters/<env>\`.
- \`environments/<env>/infrastructure/\`: shared infrastructure, edited by hand; DeploySmith never
  touches it.
- \`environments/<env>/apps/<app>/\`: one folder per app, replaced whole by every deploy. Each deploy is
  one commit whose trailers (\`Deploy-Id\`, \`App\`, \`Version\`, \`Environment\`, \`Kind\`,
  \`Requested-By\`) record what was deployed, by whom.
`;

/** Every file of a new repo laid out for `environments`, by repo-relative path. */
export function fluxLayoutFiles(environments: string[]): Map<string, string> {
  const files = new Map<string, string>([['README.md', README]]);
  for (const env of environments) {
    files.set(appsKustomizationPath(env), emptyAppsKustomization());
    files.set(
      infrastructureKustomizationPath(env),
      newKustomizationText([], INFRASTRUCTURE_KUSTOMIZATION_COMMENT),
    );
    files.set(
      clusterInfrastructurePath(env),
      fluxKustomization('infrastructure', `environments/${env}/infrastructure`),
    );
    files.set(clusterAppsPath(env), fluxKustomization('apps', appsDir(env), 'infrastructure'));
  }
  return files;
}
