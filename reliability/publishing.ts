/**
 * Versions for the load and crash runs, and the two ways they are published: the real `forge
 * publish` process, or the same flow in-process through `@deploysmith/client` (pack the bundle,
 * draft, PUT the bundle to the signed URL, publish), which costs no process start.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packBundle } from '../packages/bundle/src/index.ts';
import type { SmithClient } from '../packages/client/src/index.ts';
import type { PublishResponse, VersionMetadata } from '../packages/core/src/index.ts';
import { type CliResult, runCli } from '../packages/testkit/src/bin.ts';

export interface ManifestFile {
  path: string;
  content: Uint8Array;
}

const encode = (text: string) => new TextEncoder().encode(text);

/**
 * The manifests of version `id` of `app`: a Deployment and a Service, and in every other version a
 * ConfigMap in a subfolder, so consecutive deploys add and remove files as well as change them.
 */
export function versionManifests(app: string, id: string, index: number): ManifestFile[] {
  const files: ManifestFile[] = [
    {
      path: 'deployment.yaml',
      content: encode(`# ${app} ${id}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  labels: { app: ${app} }
spec:
  replicas: ${1 + (index % 3)}
  selector:
    matchLabels: { app: ${app} }
  template:
    metadata:
      labels: { app: ${app} }
    spec:
      containers:
        - name: web
          image: registry.example.com/${app}:${id}
          env:
            - { name: BUILD, value: "${index}" }
`),
    },
    {
      path: 'service.yaml',
      content: encode(`apiVersion: v1
kind: Service
metadata:
  name: ${app}
spec:
  selector: { app: ${app} }
  ports:
    - port: 80
      targetPort: ${8000 + (index % 50)}
`),
    },
  ];
  if (index % 2 === 1) {
    files.push({
      path: 'config/settings.yaml',
      content: encode(`apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-settings
data:
  version: "${id}"
  checksum: "${createHash('sha256').update(`${app}/${id}`).digest('hex')}"
`),
    });
  }
  return files;
}

export function metadataFor(app: string, id: string, branch: string, tag: string | null): VersionMetadata {
  return {
    gitSha: createHash('sha1').update(`${app}/${id}`).digest('hex'),
    branch,
    tag,
    committer: 'ci@example.com',
    buildNumber: id.replace(/[^0-9]/g, '') || null,
    pipelineUrl: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

export interface Published {
  /** sha256 of the bundle the client packed and uploaded. */
  sha256: string;
  response: PublishResponse;
  ms: number;
}

export async function writeManifests(dir: string, files: ManifestFile[]): Promise<void> {
  for (const file of files) {
    const target = join(dir, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}

/** forge's publish flow in this process: pack → draft → upload → publish (one client per caller). */
export async function publishInProcess(
  client: SmithClient,
  app: string,
  id: string,
  files: ManifestFile[],
  metadata: VersionMetadata,
): Promise<Published> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'reliability-publish-'));
  try {
    await writeManifests(join(dir, 'manifests'), files);
    const bundle = await packBundle({
      versionFile: { app, id, ...metadata },
      manifestsDir: join(dir, 'manifests'),
      output: join(dir, 'bundle.tar.gz'),
    });
    const draft = await client.draftVersion(app, { id, metadata, sha256: bundle.sha256, size: bundle.size });
    if (draft.upload !== null) await client.upload(draft.upload, bundle.path);
    const response = await client.publishVersion(app, id);
    return { sha256: bundle.sha256, response, ms: performance.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ForgeRun extends CliResult {
  ms: number;
  /** Parsed `--json` output when forge succeeded. */
  result?: { version: { sha256: string }; deployments: unknown[]; skipped: unknown[]; uploaded: boolean };
}

/** The real `bin/forge publish --json`, from a folder holding the manifests. */
export async function publishWithForge(
  server: { url: string; apiKey: string },
  app: string,
  id: string,
  files: ManifestFile[],
  metadata: VersionMetadata,
): Promise<ForgeRun> {
  const dir = await mkdtemp(join(tmpdir(), 'reliability-forge-'));
  try {
    await writeManifests(join(dir, 'manifests'), files);
    const flags = [
      '--version',
      id,
      '--git-sha',
      metadata.gitSha,
      '--branch',
      metadata.branch ?? '',
      '--committer',
      metadata.committer ?? 'ci',
      '--created-at',
      metadata.createdAt,
      ...(metadata.tag === null ? [] : ['--tag', metadata.tag]),
      ...(metadata.buildNumber === null ? [] : ['--build-number', metadata.buildNumber]),
    ];
    const started = performance.now();
    const run = await runCli('forge', ['publish', '--app', app, '--json', ...flags, 'manifests'], {
      cwd: dir,
      env: { SMITH_URL: server.url, SMITH_API_KEY: server.apiKey, TMPDIR: dir },
    });
    const ms = performance.now() - started;
    if (run.exitCode !== 0) return { ...run, ms };
    return { ...run, ms, result: JSON.parse(run.stdout) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfFile(path: string): Promise<string> {
  return sha256Of(await readFile(path));
}
