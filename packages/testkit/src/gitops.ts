/**
 * Real GitOps repos for tests and benchmarks: bare remotes on disk, clones, folder snapshots,
 * `kubectl kustomize` output as objects, commits with their trailers, and a fast seeder for large
 * repos (thousands of apps and commits in well under a second, via `git fast-import`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';

/** git with a fixed identity and no user config surprises (hooks, signing, colours). */
export async function gitIn(cwd: string, args: string[], input?: string): Promise<string> {
  const result = await execa(
    'git',
    ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args],
    {
      cwd,
      input,
      env: {
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
        GIT_TERMINAL_PROMPT: '0',
        LC_ALL: 'C',
      },
      stripFinalNewline: false,
    },
  );
  return result.stdout;
}

/** Creates an empty bare repo whose default branch is `branch`. */
export async function createBareRepo(path: string, branch = 'main'): Promise<string> {
  await execa('git', ['init', '-q', '--bare', `--initial-branch=${branch}`, path]);
  return path;
}

/** Clones `remote` into `dir` (checked out at `branch`) and returns `dir`. */
export async function cloneRepo(remote: string, dir: string, branch = 'main'): Promise<string> {
  await execa('git', ['clone', '-q', '--branch', branch, remote, dir], { env: { LC_ALL: 'C' } });
  return dir;
}

/** Every file under `dir` (skipping `.git`), by path relative to `dir`, as text. */
export async function readFolder(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path).split('\\').join('/');
    if (rel === '.git' || rel.startsWith('.git/')) continue;
    files[rel] = await readFile(path, 'utf8');
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Runs `kubectl kustomize path` and returns the objects it prints; throws with kustomize's message. */
export async function kustomizeBuild(path: string): Promise<KubeObject[]> {
  const result = await execa('kubectl', ['kustomize', path], { reject: false });
  if (result.exitCode !== 0) throw new Error(`kubectl kustomize ${path} failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

/** `Kind/namespace/name` of each object, sorted: easy to compare in assertions. */
export function objectIds(objects: KubeObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
}

export interface CommitInfo {
  commit: string;
  parents: string[];
  subject: string;
  trailers: Record<string, string>;
}

/** Commits reachable from `ref` in `repo` (bare or not), oldest first, with their trailers as git parses them. */
export async function listCommits(repo: string, ref = 'main'): Promise<CommitInfo[]> {
  const out = await gitIn(repo, [
    'log',
    '--reverse',
    '--format=%H%x00%P%x00%s%x00%(trailers:only,unfold)%x1e',
    ref,
  ]);
  return out
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [commit = '', parents = '', subject = '', trailerText = ''] = record.split('\0');
      const trailers: Record<string, string> = {};
      for (const line of trailerText.split('\n')) {
        const at = line.indexOf(':');
        if (at > 0) trailers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      return { commit, parents: parents.split(' ').filter(Boolean), subject, trailers };
    });
}

/** The head commit of `branch` in `repo`, or undefined when the branch does not exist. */
export async function headOf(repo: string, branch = 'main'): Promise<string | undefined> {
  const result = await execa('git', ['rev-parse', '--verify', '-q', `refs/heads/${branch}`], {
    cwd: repo,
    reject: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** A small, valid version of `app`: a Deployment and a Service, image tag = `version`. */
export function sampleManifests(
  app: string,
  version: string,
  namespace?: string,
): { path: string; content: Uint8Array }[] {
  const ns = namespace === undefined ? '' : `  namespace: ${namespace}\n`;
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
${ns}  labels:
    app: ${app}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: web
          image: registry.example.com/${app}:${version}
`;
  const service = `apiVersion: v1
kind: Service
metadata:
  name: ${app}
${ns}spec:
  selector:
    app: ${app}
  ports:
    - port: 80
`;
  const encode = (text: string) => new TextEncoder().encode(text);
  return [
    { path: 'deployment.yaml', content: encode(deployment) },
    { path: 'service.yaml', content: encode(service) },
  ];
}

export interface SeedOptions {
  environments: string[];
  /** Apps per environment, named `app-0001`… */
  apps: number;
  /** Commits on the branch in total (the first lays out every app; each later one redeploys one). */
  commits: number;
  branch?: string;
}

const KUSTOMIZATION_HEAD = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

function fluxKustomization(name: string, path: string): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m0s
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./${path}
  prune: true
`;
}

/**
 * Creates a bare repo at `barePath` holding the Flux layout with `apps` apps deployed in every
 * environment and `commits` commits of history, each carrying deploy trailers like smithd's. Uses
 * `git fast-import`, so 1,000 apps × 5 environments × 5,000 commits take about a second.
 */
export async function seedGitOpsRepo(barePath: string, options: SeedOptions): Promise<void> {
  const branch = options.branch ?? 'main';
  await createBareRepo(barePath, branch);
  const apps = Array.from({ length: options.apps }, (_, i) => `app-${String(i + 1).padStart(4, '0')}`);
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  const blob = (text: string): number => {
    mark += 1;
    chunks.push(`blob\nmark :${mark}\n${data(text)}`);
    return mark;
  };
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const appKustomization = blob(`${KUSTOMIZATION_HEAD}resources:\n  - deployment.yaml\n  - service.yaml\n`);
  const envKustomization = blob(`${KUSTOMIZATION_HEAD}resources:\n${apps.map((a) => `  - ${a}\n`).join('')}`);
  const appBlobs = new Map<string, [number, number]>();
  for (const app of apps) {
    const [deployment, service] = sampleManifests(app, 'v0');
    appBlobs.set(app, [
      blob(decode(deployment?.content ?? new Uint8Array())),
      blob(decode(service?.content ?? new Uint8Array())),
    ]);
  }
  let time = 1_700_000_000;
  const commitHeader = (message: string) => {
    time += 60;
    return `commit refs/heads/${branch}\ncommitter Seed <seed@example.com> ${time} +0000\n${data(message)}`;
  };
  const files: string[] = [];
  for (const env of options.environments) {
    files.push(
      `M 100644 inline clusters/${env}/apps.yaml\n${data(fluxKustomization('apps', `environments/${env}/apps`))}`,
    );
    files.push(`M 100644 :${envKustomization} environments/${env}/apps/kustomization.yaml\n`);
    for (const app of apps) {
      const [deployment, service] = appBlobs.get(app) ?? [0, 0];
      const dir = `environments/${env}/apps/${app}`;
      files.push(`M 100644 :${appKustomization} ${dir}/kustomization.yaml\n`);
      files.push(`M 100644 :${deployment} ${dir}/deployment.yaml\n`);
      files.push(`M 100644 :${service} ${dir}/service.yaml\n`);
    }
  }
  chunks.push(`${commitHeader('seed the Flux layout')}${files.join('')}`);
  for (let i = 1; i < options.commits; i++) {
    const env = options.environments[i % options.environments.length] ?? 'staging';
    const app = apps[i % apps.length] ?? 'app-0001';
    const version = `v${i}`;
    const [deployment] = sampleManifests(app, version);
    const message = `deploy ${app} ${version} to ${env} (requested by seed)\n\nDeploy-Id: seed-${i}\nApp: ${app}\nVersion: ${version}\nEnvironment: ${env}\nKind: deploy\nRequested-By: seed\n`;
    chunks.push(
      `${commitHeader(message)}M 100644 inline environments/${env}/apps/${app}/deployment.yaml\n${data(decode(deployment?.content ?? new Uint8Array()))}`,
    );
  }
  chunks.push('done\n');
  // fast-import grows its heap in many small steps; where brk is a slow syscall (sandboxes) a large
  // top pad turns 30 s into 1 s.
  await execa('git', ['fast-import', '--quiet', '--done'], {
    cwd: barePath,
    input: chunks.join(''),
    env: { MALLOC_TOP_PAD_: String(512 * 1024 * 1024) },
  });
  // fast-import's pack stores each new tree as a delta of the one before, so the newest trees sit
  // at the end of long chains; git's docs advise `repack -a -d -f` after an import. Without it
  // every read of the head tree pays for the chains, which no repo packed by `git gc` does.
  await execa('git', ['repack', '-a', '-d', '-f', '-q'], { cwd: barePath });
}
