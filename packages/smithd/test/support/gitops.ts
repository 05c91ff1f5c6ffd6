/** What a test checks in the GitOps repo after a deploy: the environment builds, with the app in it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneRepo, kustomizeBuild, objectIds } from '@deploysmith/testkit/gitops';
import { execa } from 'execa';

/** `kubectl kustomize environments/<env>/apps` in a fresh clone: the objects' `Kind/namespace/name`. */
export async function builtObjects(remote: string, environment: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'smithd-clone-'));
  try {
    await cloneRepo(remote, join(dir, 'clone'));
    return objectIds(await kustomizeBuild(join(dir, 'clone', 'environments', environment, 'apps')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The image of the app's Deployment as the environment builds it. */
export async function builtImage(
  remote: string,
  environment: string,
  app: string,
): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'smithd-clone-'));
  try {
    await cloneRepo(remote, join(dir, 'clone'));
    const objects = await kustomizeBuild(join(dir, 'clone', 'environments', environment, 'apps'));
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === app) as
      | { spec: { template: { spec: { containers: { image: string }[] } } } }
      | undefined;
    return deployment?.spec.template.spec.containers[0]?.image;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `git diff` of a commit against its parent, as text. */
export async function commitDiff(remote: string, commit: string): Promise<string> {
  return (await execa('git', ['diff', `${commit}^`, commit], { cwd: remote, stripFinalNewline: false }))
    .stdout;
}

export async function changedFiles(
  remote: string,
  commit: string,
): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
  const out = (
    await execa('git', ['diff', '--name-status', '--no-renames', `${commit}^`, commit], { cwd: remote })
  ).stdout;
  const result = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
  for (const line of out.split('\n').filter(Boolean)) {
    const [status, path = ''] = line.split('\t');
    if (status === 'A') result.added.push(path);
    else if (status === 'D') result.removed.push(path);
    else result.changed.push(path);
  }
  for (const list of Object.values(result)) list.sort();
  return result;
}

/** HEAD and `git status` of smithd's working clone: a dry run must not move either. */
export async function workingCloneState(dataDir: string, repo = 'gitops'): Promise<string> {
  const cwd = join(dataDir, 'repos', repo);
  const head = (await execa('git', ['rev-parse', 'HEAD'], { cwd })).stdout;
  const status = (await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd })).stdout;
  return `${head}\n${status}`;
}
