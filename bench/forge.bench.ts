/**
 * forge: start-up of `forge --help` against `node -e 0` (target ≤ 1.5), `forge publish` of a
 * 5-manifest version against a raw baseline of a curl upload plus the same git commit and push
 * (target ≤ 2.0), and peak memory while publishing a 200 MB bundle (target < 150 MB RSS).
 * Needs the built programs (`pnpm build`), git and curl.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { SmithClient } from '../packages/client/src/index.ts';
import { binPath } from '../packages/testkit/src/bin.ts';
import { createBareRepo, gitIn } from '../packages/testkit/src/gitops.ts';
import { startSmithd } from '../packages/testkit/src/smithd.ts';
import { tempDir } from '../packages/testkit/src/temp.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { compare, ms, record, run } from './lib.ts';

const forge = binPath('forge');
requireTool('git');
const curl = requireTool('curl');

// --- 1. start-up ---------------------------------------------------------------------------------
{
  const { subject, baseline } = await compare(
    () => run(forge, ['--help']),
    () => run('node', ['-e', '0']),
    30,
  );
  const ratio = subject.medianMs / baseline.medianMs;
  record({
    name: 'forge --help start-up',
    subject: ms(subject.medianMs),
    baseline: `${ms(baseline.medianMs)} (node -e 0)`,
    ratio,
    target: '≤ 1.5',
    ok: ratio <= 1.5,
  });
}

const work = await tempDir('forge-bench-');
const smithd = await startSmithd({
  // Room for the 200 MB bundle of part 3 (the default refuses drafts that large).
  args: ['--config', await writeConfig(join(work.path, 'smithd.json'))],
});
const client = new SmithClient({ server: smithd.url, apiKey: smithd.apiKey });
const env = { SMITH_URL: smithd.url, SMITH_API_KEY: smithd.apiKey, CI: 'true' };

try {
  // --- 2. publish of a 5-manifest version -----------------------------------------------------------
  await client.registerApp({ name: 'bench', environments: ['staging'] });
  await client.putPolicy('bench', 'staging', { branch: 'main' });
  const app = join(work.path, 'app');
  await mkdir(join(app, 'manifests'), { recursive: true });
  await gitIn(app, ['init', '-q', '-b', 'main']);
  await writeManifests(join(app, 'manifests'), 0);
  await gitIn(app, ['add', '-A']);
  await gitIn(app, ['commit', '-q', '-m', 'bench']);

  // The baseline does by hand what the publish amounts to: PUT the bundle over HTTP (to a sink
  // that stores it, as smithd's disk storage does) and commit and push the manifests to a repo.
  // What it leaves out, and the subject may not: starting Node (curl and git are small C programs),
  // validating the manifests (forge, then smithd again on publish: the server trusts no client),
  // the draft and publish requests and their database records (pending before the push, succeeded
  // after), and the `kubectl kustomize` build of the app folder that the default kustomize check
  // runs before the push: `kubectl kustomize` alone takes over half the time of the whole baseline
  // here (about 0.2 s of CPU, mostly kubectl starting). smithd starts that build as the publish
  // begins, beside its validation and records, but on two busy cores overlapping saves little:
  // the CPU work is what costs.
  const sink = await startUploadSink(join(work.path, 'sink'));
  const bare = await createBareRepo(join(work.path, 'baseline.git'));
  const baselineClone = join(work.path, 'baseline');
  await gitIn(work.path, ['init', '-q', '-b', 'main', baselineClone]);
  await gitIn(baselineClone, ['remote', 'add', 'origin', bare]);
  await gitIn(baselineClone, ['commit', '-q', '--allow-empty', '-m', 'init']);
  await gitIn(baselineClone, ['push', '-q', 'origin', 'main']);
  const bundle = join(work.path, 'bundle.tar.gz');
  await execa('tar', ['-czf', bundle, '-C', app, 'manifests']);

  let round = 0;
  // Where a publish spends its time, from forge's own progress lines (step → durations).
  const steps = new Map<string, number[]>();
  const { subject, baseline } = await compare(
    async () => {
      round++;
      // New content each time, so every publish is a real version and a real deploy.
      await writeManifests(join(app, 'manifests'), round);
      const { stderr } = await execa(forge, ['publish', '--app', 'bench', '--version', `bench-${round}`], {
        cwd: app,
        env,
      });
      for (const [, label, took] of stderr.matchAll(/^(\w+)[^:\n]*: done in (\d+) ms$/gm)) {
        steps.set(label as string, [...(steps.get(label as string) ?? []), Number(took)]);
      }
    },
    async () => {
      const folder = join(baselineClone, 'apps', 'bench');
      await mkdir(folder, { recursive: true });
      await writeManifests(folder, round);
      await run(curl, ['-sf', '-T', bundle, `${sink.url}/bench-${round}`]);
      await gitIn(baselineClone, ['add', '-A']);
      await gitIn(baselineClone, ['commit', '-q', '-m', `deploy bench-${round}`]);
      await gitIn(baselineClone, ['push', '-q', 'origin', 'main']);
    },
    10,
  );
  const deployed = (await client.listDeployments('bench')).items.filter(
    (d) => d.status === 'succeeded',
  ).length;
  const ratio = subject.medianMs / baseline.medianMs;
  record({
    name: `forge publish, 5 manifests, auto-deployed (${deployed} deploys)`,
    subject: ms(subject.medianMs),
    baseline: `${ms(baseline.medianMs)} (curl upload + git commit + push)`,
    ratio,
    target: '≤ 2.0',
    ok: ratio <= 2.0,
  });
  const median = (values: number[]) =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  console.log(
    `     median steps: ${[...steps].map(([label, times]) => `${label} ${median(times)} ms`).join(', ')} (Publishing = smithd's publish and auto-deploy)`,
  );
  await sink.close();

  // --- 3. peak memory while publishing a 200 MB bundle -----------------------------------------------
  await client.registerApp({ name: 'bench-big', environments: ['staging'] });
  const big = join(work.path, 'big');
  await writeBigManifests(join(big, 'manifests'), 200 * 1024 * 1024);
  await gitIn(big, ['init', '-q', '-b', 'main']);
  await gitIn(big, ['add', '-A']);
  await gitIn(big, ['commit', '-q', '-m', 'big']);
  // Peak RSS of the forge process itself, read when it exits (no /usr/bin/time needed).
  const hook = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss-kb='+process.resourceUsage().maxRSS+'\\n'))`;
  const started = performance.now();
  // --no-validate: 200 MB is over the manifest limits, and smithd's own check on publish refuses it
  // (exit 2) after the pack and the upload, which are what this measures.
  const result = await execa(
    'node',
    ['--import', hook, forge, 'publish', '--app', 'bench-big', '--no-validate'],
    {
      cwd: big,
      env,
      reject: false,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const maxRss = Number(/maxrss-kb=(\d+)/.exec(result.stderr)?.[1] ?? Number.NaN) / 1024;
  const uploaded = /Uploading [\d.]+ MiB: done/.test(result.stderr);
  const size = /Uploading ([\d.]+ MiB)/.exec(result.stderr)?.[1] ?? '?';
  if (!uploaded) console.error(result.stderr);
  record({
    name: `forge publish of a ${size} bundle: peak RSS (${seconds.toFixed(1)} s, upload ${uploaded ? 'done' : 'FAILED'}, exit ${result.exitCode})`,
    subject: `${maxRss.toFixed(1)} MB`,
    baseline: '150 MB',
    ratio: maxRss / 150,
    target: '< 150 MB',
    ok: uploaded && maxRss < 150,
  });
} finally {
  await client.close();
  await smithd.stop();
  await work.remove();
}

async function writeConfig(path: string): Promise<string> {
  await writeFile(
    path,
    JSON.stringify({ limits: { bundleBytes: 512 * 1024 * 1024, unpackedBytes: 1024 * 1024 * 1024 } }),
  );
  return path;
}

/** Five manifests of a small web app; `round` changes the ConfigMap so each version differs. */
async function writeManifests(dir: string, round: number): Promise<void> {
  const meta = (kind: string) =>
    `metadata:\n  name: bench${kind === 'ConfigMap' ? '-env' : ''}\n  labels:\n    app: bench\n`;
  const files: Record<string, string> = {
    'configmap.yaml': `apiVersion: v1\nkind: ConfigMap\n${meta('ConfigMap')}data:\n  ROUND: "${round}"\n`,
    'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\n${meta('Deployment')}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: bench\n  template:\n    metadata:\n      labels:\n        app: bench\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n          envFrom:\n            - configMapRef:\n                name: bench-env\n`,
    'service.yaml': `apiVersion: v1\nkind: Service\n${meta('Service')}spec:\n  selector:\n    app: bench\n  ports:\n    - port: 80\n      targetPort: 80\n`,
    'ingress.yaml': `apiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta('Ingress')}spec:\n  rules:\n    - host: bench.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: bench\n                port:\n                  number: 80\n`,
    'hpa.yaml': `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n${meta('HorizontalPodAutoscaler')}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: bench\n  minReplicas: 2\n  maxReplicas: 4\n`,
  };
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
}

/** ConfigMaps of random base64 (gzip cannot shrink it much) until the bundle will be about `bytes`. */
async function writeBigManifests(dir: string, bytes: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  // base64 of random bytes packs to about 3/4 of its size.
  const textBytes = Math.ceil((bytes * 4) / 3);
  const perFile = 8 * 1024 * 1024;
  for (let index = 0; index * perFile < textBytes; index++) {
    const out = createWriteStream(join(dir, `blob-${String(index).padStart(3, '0')}.yaml`));
    async function* content() {
      yield `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob-${index}\ndata:\n  blob: `;
      for (let written = 0; written < perFile; written += 1024 * 1024)
        yield randomBytes(768 * 1024).toString('base64');
      yield '\n';
    }
    await pipeline(content, out);
  }
  await stat(dir);
}

/** An HTTP server that stores each PUT body on disk: the far end of the baseline's curl upload. */
async function startUploadSink(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  await mkdir(dir, { recursive: true });
  const server = createServer((request, response) => {
    const target = join(dir, (request.url ?? '/upload').replace(/[^A-Za-z0-9.-]/g, '_'));
    pipeline(request, createWriteStream(target)).then(
      () => response.writeHead(200).end(),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        void rm(dir, { recursive: true, force: true });
      }),
  };
}
