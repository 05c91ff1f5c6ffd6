/**
 * A real smithd for tests: the BUILT `bin/smithd` on a free loopback port with its own data dir
 * (admin key, working clones, embedded bare GitOps repo), its admin key read from `admin.key`. Its
 * database and storage are the suite's backend (`backends.ts`): embedded SQLite and disk storage,
 * or with `DEPLOYSMITH_TEST_BACKEND=postgres-s3` a fresh PostgreSQL database and S3 prefix.
 * Build it first: `node scripts/build.ts smithd`.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PublishResponse, VersionMetadata } from '@deploysmith/core';
import { execa, type ResultPromise } from 'execa';
import { request } from 'undici';
import { allocateBackend, type BackendUnderTest } from './backends.ts';
import { binPath } from './bin.ts';
import { freePort, waitFor } from './ports.ts';
import { tempDir } from './temp.ts';

export interface SmithdOptions {
  /** Data dir to use (kept on stop); default: a new temp dir, removed on stop. */
  dataDir?: string;
  /** Extra environment (SMITHD_* settings); PATH and HOME are passed through. */
  env?: Record<string, string>;
  /** Extra flags after the ones the harness sets (--data-dir, --listen, --log-level). */
  args?: string[];
  /** How long start-up may take before the harness gives up (default 60 s; a large repo clones first). */
  startTimeoutMs?: number;
  /** Database and storage; default: a new one of the suite's backend (`allocateBackend`). */
  backend?: BackendUnderTest;
  /** Working directory of the process (default: the test's). */
  cwd?: string;
  /** A command smithd runs under, e.g. `['nsenter', '-t', PID, '-U', '-m', '--']` to see a mount namespace. */
  wrapper?: string[];
}

export interface SmithdHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  /**
   * The admin key smithd wrote on its first start; '' when it found keys in its database already
   * (a replica joining a shared database): give it another smithd's key.
   */
  apiKey: string;
  dataDir: string;
  /** The database and storage it runs on. */
  backend: BackendUnderTest;
  /** Flags for smithd's admin commands (keys, migrate, history) to reach the same data. */
  cliArgs: string[];
  /** The embedded bare GitOps repo, `<data-dir>/gitops.git`. */
  gitopsRemote: string;
  /** Everything smithd wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Graceful stop (SIGTERM); removes the data dir when the harness created it. */
  stop(): Promise<void>;
  /** Ends the process with `signal` (default SIGKILL) and keeps the data dir, e.g. to test a crash. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops (if running) and starts again on the same port and data dir. */
  restart(): Promise<void>;
}

export async function startSmithd(options: SmithdOptions = {}): Promise<SmithdHandle> {
  const ownDir = options.dataDir === undefined ? await tempDir('smithd-') : undefined;
  const dataDir = options.dataDir ?? (ownDir?.path as string);
  const backend = options.backend ?? (await allocateBackend(dataDir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  let child: ResultPromise | undefined;
  let exited: Promise<unknown> = Promise.resolve();

  const launch = async () => {
    const [command, ...prefix] = [...(options.wrapper ?? []), binPath('smithd')];
    const process_ = execa(
      command as string,
      [
        ...prefix,
        '--data-dir',
        dataDir,
        '--listen',
        `127.0.0.1:${port}`,
        '--log-level',
        'warn',
        ...backend.args,
        ...(options.args ?? []),
      ],
      {
        reject: false,
        extendEnv: false,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...backend.env, ...options.env },
        stdin: 'ignore',
        buffer: false,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      },
    );
    child = process_;
    process_.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    process_.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    let gone = false;
    exited = process_.then(() => {
      gone = true;
    });
    try {
      await waitFor(
        `smithd on ${url}`,
        async () => {
          if (gone) throw new Error(`smithd exited during start-up:\n${log}`);
          const response = await request(`${url}/healthz`);
          await response.body.dump();
          return response.statusCode === 200;
        },
        options.startTimeoutMs ?? 60_000,
      );
    } catch (error) {
      process_.kill('SIGKILL');
      await exited;
      throw new Error(`${(error as Error).message}\n--- smithd output ---\n${log}`);
    }
  };

  const halt = async (signal: NodeJS.Signals) => {
    if (child === undefined) return;
    child.kill(signal);
    await exited;
    child = undefined;
  };

  await launch();
  const apiKey = (await readFile(join(dataDir, 'admin.key'), 'utf8').catch(() => '')).trim();
  return {
    url,
    apiKey,
    dataDir,
    backend,
    cliArgs: ['--data-dir', dataDir, ...backend.args],
    gitopsRemote: join(dataDir, 'gitops.git'),
    output: () => log,
    async stop() {
      await halt('SIGTERM');
      await ownDir?.remove();
    },
    kill: (signal = 'SIGKILL') => halt(signal),
    async restart() {
      await halt('SIGTERM');
      await launch();
    },
  };
}

export interface ManifestInput {
  /** Relative to `manifests/` in the bundle. */
  path: string;
  content: string | Uint8Array;
}

/**
 * Publishes a version through the real API the way forge does: registers the app when it is new
 * (environments staging and production), packs the bundle, drafts, uploads, publishes.
 */
export async function publishVersion(
  handle: Pick<SmithdHandle, 'url' | 'apiKey'>,
  app: string,
  id: string,
  files: ManifestInput[],
  metadata: Partial<VersionMetadata> = {},
): Promise<PublishResponse> {
  const [{ SmithClient }, { packBundle }] = await Promise.all([
    import('@deploysmith/client'),
    import('@deploysmith/bundle'),
  ]);
  const client = new SmithClient({ server: handle.url, apiKey: handle.apiKey });
  const dir = await tempDir('smithd-publish-');
  try {
    await ensureApp(client, app);
    const fullMetadata: VersionMetadata = {
      gitSha: createHash('sha1').update(`${app}/${id}`).digest('hex'),
      branch: 'main',
      tag: null,
      committer: 'test@example.com',
      buildNumber: null,
      pipelineUrl: null,
      createdAt: new Date().toISOString(),
      ...metadata,
    };
    const manifestsDir = join(dir.path, 'manifests');
    for (const file of files) {
      const target = join(manifestsDir, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    const bundlePath = join(dir.path, 'bundle.tar.gz');
    const { sha256, size } = await packBundle({
      versionFile: { app, id, ...fullMetadata },
      manifestsDir,
      output: bundlePath,
    });
    const draft = await client.draftVersion(app, {
      id,
      metadata: fullMetadata,
      sha256,
      size,
    });
    if (draft.upload) await client.upload(draft.upload, bundlePath);
    return await client.publishVersion(app, id);
  } finally {
    await client.close();
    await rm(dir.path, { recursive: true, force: true });
  }
}

async function ensureApp(client: import('@deploysmith/client').SmithClient, app: string): Promise<void> {
  try {
    await client.getApp(app);
  } catch (error) {
    if ((error as { code?: string }).code !== 'not_found') throw error;
    await client.registerApp({ name: app, environments: ['staging', 'production'] });
  }
}
