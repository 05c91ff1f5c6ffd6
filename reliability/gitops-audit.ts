/**
 * Does the database agree with the GitOps repo? Every deploy smithd reports is compared with the
 * commits on the remote branch (by their Deploy-Id trailers), every app folder with the manifests
 * of the version recorded as deployed there, and every environment is built with kustomize.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readBundle } from '../packages/bundle/src/index.ts';
import type { App, Deployment } from '../packages/core/src/index.ts';
import { cloneRepo, kustomizeBuild, listCommits } from '../packages/testkit/src/gitops.ts';
import { call, type Target } from './http.ts';
import type { ManifestFile } from './publishing.ts';

export interface AuditInput {
  target: Target;
  /** The GitOps remote (a bare repo path). */
  remote: string;
  branch?: string;
  apps: string[];
  environments: string[];
  /** The manifests of a published version as the storage holds them. */
  storedFiles(app: string, version: string): Promise<ManifestFile[]>;
}

export interface Audit {
  /** What disagrees; empty when database and repo agree. */
  problems: string[];
  deployments: Deployment[];
  /** Commits on the branch carrying a Deploy-Id trailer. */
  deployCommits: number;
  /** Objects kustomize built, per environment. */
  builtObjects: Record<string, number>;
}

/** Every deployment of `app`, following the cursor. */
export async function allDeployments(target: Target, app: string): Promise<Deployment[]> {
  const items: Deployment[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page = await call(target, 'GET', `/v1/apps/${app}/deployments?limit=500${query}`);
    if (page.status !== 200) throw new Error(`GET deployments of ${app}: ${page.status} ${page.text}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return items;
}

export async function auditDeploys(input: AuditInput): Promise<Audit> {
  const problems: string[] = [];
  const branch = input.branch ?? 'main';
  const commits = await listCommits(input.remote, branch);
  const byDeployId = new Map<string, typeof commits>();
  for (const commit of commits) {
    const id = commit.trailers['Deploy-Id'];
    if (id === undefined) continue;
    byDeployId.set(id, [...(byDeployId.get(id) ?? []), commit]);
  }

  const deployments: Deployment[] = [];
  const current = new Map<string, string | null>();
  for (const app of input.apps) {
    deployments.push(...(await allDeployments(input.target, app)));
    const answer = await call<App>(input.target, 'GET', `/v1/apps/${app}`);
    if (answer.status !== 200) throw new Error(`GET app ${app}: ${answer.status} ${answer.text}`);
    for (const status of answer.body.status) {
      current.set(`${app}/${status.environment}`, status.current?.version ?? null);
      if (status.current !== null && status.current.status !== 'succeeded')
        problems.push(
          `${app} ${status.environment}: current deploy ${status.current.id} is ${status.current.status}`,
        );
    }
  }

  const seen = new Set<string>();
  for (const deployment of deployments) {
    const { id, status } = deployment;
    if (seen.has(id)) problems.push(`deployment ${id} is listed twice`);
    seen.add(id);
    const found = byDeployId.get(id) ?? [];
    if (status === 'pending')
      problems.push(
        `deployment ${id} (${deployment.app} ${deployment.version} to ${deployment.environment}) is still pending`,
      );
    if (status === 'failed' && found.length > 0)
      problems.push(`deployment ${id} is recorded failed but commit ${found[0]?.commit} carries it`);
    if (status === 'succeeded') {
      if (found.length !== 1)
        problems.push(`deployment ${id} succeeded but ${found.length} commits carry it`);
      const commit = found[0];
      if (commit !== undefined) {
        if (commit.commit !== deployment.commit)
          problems.push(
            `deployment ${id} records commit ${deployment.commit}, the branch has it in ${commit.commit}`,
          );
        const t = commit.trailers;
        if (
          t.App !== deployment.app ||
          t.Version !== deployment.version ||
          t.Environment !== deployment.environment ||
          t.Kind !== deployment.kind
        )
          problems.push(
            `commit ${commit.commit} trailers ${JSON.stringify(t)} do not match deployment ${JSON.stringify(deployment)}`,
          );
      }
    }
  }
  const byId = new Map(deployments.map((d) => [d.id, d]));
  const apps = new Set(input.apps);
  for (const [id, found] of byDeployId) {
    const app = found[0]?.trailers.App ?? '';
    if (!apps.has(app)) continue;
    const recorded = byId.get(id);
    if (recorded?.status !== 'succeeded')
      problems.push(
        `commit ${found[0]?.commit} carries deploy ${id}, which the database ${recorded === undefined ? 'does not know' : `records as ${recorded.status}`}`,
      );
  }

  // What the branch says is deployed: the last deploy commit of each app and environment.
  const lastOnBranch = new Map<string, string>();
  for (const commit of commits) {
    const t = commit.trailers;
    if (t['Deploy-Id'] !== undefined && apps.has(t.App ?? ''))
      lastOnBranch.set(`${t.App}/${t.Environment}`, t.Version ?? '');
  }

  const dir = await mkdtemp(join(tmpdir(), 'reliability-audit-'));
  const builtObjects: Record<string, number> = {};
  try {
    const clone = await cloneRepo(input.remote, join(dir, 'clone'), branch);
    for (const environment of input.environments) {
      const appsDir = join(clone, 'environments', environment, 'apps');
      const deployedHere = input.apps.some((app) => (current.get(`${app}/${environment}`) ?? null) !== null);
      // A configured repo gets an environment's folder with its first deploy there.
      const laidOut = await readdir(appsDir).then(
        () => true,
        () => false,
      );
      if (!laidOut && !deployedHere) continue;
      const objects = await kustomizeBuild(appsDir).catch((error: Error) => {
        problems.push(`environment ${environment} does not build: ${error.message}`);
        return [];
      });
      builtObjects[environment] = objects.length;
      for (const app of input.apps) {
        const key = `${app}/${environment}`;
        const version = current.get(key) ?? null;
        if ((lastOnBranch.get(key) ?? null) !== version)
          problems.push(
            `${app} ${environment}: the database says ${version} is deployed, the branch's last deploy commit says ${lastOnBranch.get(key)}`,
          );
        const folder = join(clone, 'environments', environment, 'apps', app);
        const onBranch = await folderFiles(folder);
        const image = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === app);
        if (version === null) {
          if (onBranch.size > 0)
            problems.push(
              `${app} ${environment}: nothing recorded as deployed, yet the branch has its folder`,
            );
          if (image !== undefined)
            problems.push(
              `${app} ${environment}: nothing recorded as deployed, yet the environment builds its Deployment`,
            );
          continue;
        }
        const expected = await input.storedFiles(app, version);
        const expectedPaths = new Set(expected.map((f) => f.path));
        if (!expectedPaths.has('kustomization.yaml')) expectedPaths.add('kustomization.yaml');
        const missing = [...expectedPaths].filter((p) => !onBranch.has(p));
        const extra = [...onBranch.keys()].filter((p) => !expectedPaths.has(p));
        if (missing.length > 0 || extra.length > 0)
          problems.push(
            `${app} ${environment}: folder differs from version ${version} (missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'})`,
          );
        for (const file of expected) {
          const bytes = onBranch.get(file.path);
          if (bytes !== undefined && !Buffer.from(bytes).equals(Buffer.from(file.content)))
            problems.push(`${app} ${environment}: ${file.path} differs from version ${version}`);
        }
        if (image === undefined)
          problems.push(
            `${app} ${environment}: version ${version} is deployed, yet the environment does not build its Deployment`,
          );
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { problems, deployments, deployCommits: [...byDeployId.values()].flat().length, builtObjects };
}

async function folderFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split('\\').join('/'), await readFile(path));
  }
  return files;
}

/** The manifests of a published version in smithd's disk storage, read as smithd reads them. */
export function diskStoredFiles(storageRoot: string) {
  return async (app: string, version: string): Promise<ManifestFile[]> =>
    (await readBundle(publishedBundlePath(storageRoot, app, version))).files;
}

export function publishedBundlePath(storageRoot: string, app: string, version: string): string {
  return join(storageRoot, 'published', app, version, 'bundle.tar.gz');
}
