/**
 * smithd: deploy latency into an empty GitOps repo vs one with 1,000 apps and 5,000 commits (target
 * ratio ≤ 1.2: no re-clone, no full tree walk); deploy latency vs a raw `git add && git commit &&
 * git push` of the same files (≤ 2.0); `GET /v1/apps/:app/versions` throughput with 100,000 versions
 * stored vs a fastify route answering a constant body (≥ 0.5×). Needs `pnpm build`, git and kubectl.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { SmithClient } from '../packages/client/src/index.ts';
import { measureThroughput, startConstantServer } from '../packages/smithd/test/support/load.ts';
import { seedVersions } from '../packages/smithd/test/support/seed-versions.ts';
import { binPath } from '../packages/testkit/src/bin.ts';
import { cloneRepo, gitIn, sampleManifests, seedGitOpsRepo } from '../packages/testkit/src/gitops.ts';
import { freePort } from '../packages/testkit/src/ports.ts';
import { publishVersion, type SmithdHandle, startSmithd } from '../packages/testkit/src/smithd.ts';
import { tempDir } from '../packages/testkit/src/temp.ts';
import { requireTool } from '../packages/testkit/src/tools.ts';
import { compare, ms, pinLoadApartFromServers, record } from './lib.ts';

requireTool('git');
requireTool('kubectl');
const RUNS = 15;
const work = await tempDir('smithd-bench-');
const handles: SmithdHandle[] = [];

/** Deploys `bench` to staging, alternating between two versions so every deploy is a real commit. */
function deployer(handle: SmithdHandle) {
  const client = new SmithClient({ server: handle.url, apiKey: handle.apiKey });
  let turn = 0;
  return async () => {
    turn++;
    const answer = await client.deploy('bench', {
      version: turn % 2 === 0 ? 'a' : 'b',
      environment: 'staging',
    });
    if (answer.noop || answer.deployment.status !== 'succeeded')
      throw new Error(`deploy did not commit: ${JSON.stringify(answer)}`);
  };
}

async function publishBench(handle: SmithdHandle): Promise<void> {
  for (const version of ['a', 'b'])
    await publishVersion(handle, 'bench', version, sampleManifests('bench', version));
}

try {
  // --- 1 and 2: deploy latency ------------------------------------------------------------------
  const empty = await startSmithd({ args: ['--log-level', 'warn'] });
  handles.push(empty);
  const fleet = join(work.path, 'fleet.git');
  const seeded = performance.now();
  await seedGitOpsRepo(fleet, { environments: ['staging', 'production'], apps: 1000, commits: 5000 });
  console.log(`seeded 1,000 apps × 2 environments, 5,000 commits in ${ms(performance.now() - seeded)}`);
  const large = await startSmithd({ args: ['--gitops-repo', `gitops=${fleet}`], startTimeoutMs: 180_000 });
  handles.push(large);
  await publishBench(empty);
  await publishBench(large);
  const deployEmpty = deployer(empty);
  const deployLarge = deployer(large);

  {
    const { subject, baseline } = await compare(deployLarge, deployEmpty, RUNS);
    const ratio = subject.medianMs / baseline.medianMs;
    record({
      name: 'deploy into 1,000 apps / 5,000 commits vs an empty repo',
      subject: ms(subject.medianMs),
      baseline: `${ms(baseline.medianMs)} (empty repo)`,
      ratio,
      target: '≤ 1.2',
      ok: ratio <= 1.2,
    });
  }

  {
    // The same files a deploy writes, committed and pushed by hand from a clone of a same-shaped repo.
    const remote = join(work.path, 'raw.git');
    await execa('git', ['clone', '-q', '--bare', empty.gitopsRemote, remote]);
    const clone = await cloneRepo(remote, join(work.path, 'raw'));
    const appDir = join(clone, 'environments', 'staging', 'apps', 'bench');
    await mkdir(appDir, { recursive: true });
    const kustomization =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n';
    await writeFile(join(appDir, 'kustomization.yaml'), kustomization);
    await writeFile(
      join(clone, 'environments', 'staging', 'apps', 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - bench\n',
    );
    const versions = ['a', 'b'].map((version) => sampleManifests('bench', version));
    let turn = 0;
    const rawCommit = async () => {
      turn++;
      for (const file of versions[turn % 2] ?? []) await writeFile(join(appDir, file.path), file.content);
      await execa(
        'sh',
        ['-c', `git add -A && git commit -q -m "deploy bench ${turn}" && git push -q origin main`],
        {
          cwd: clone,
          env: {
            GIT_AUTHOR_NAME: 'b',
            GIT_AUTHOR_EMAIL: 'b@x',
            GIT_COMMITTER_NAME: 'b',
            GIT_COMMITTER_EMAIL: 'b@x',
          },
        },
      );
    };
    await gitIn(clone, ['config', 'commit.gpgsign', 'false']);
    const { subject, baseline } = await compare(deployEmpty, rawCommit, RUNS);
    const ratio = subject.medianMs / baseline.medianMs;
    record({
      name: 'deploy (plan, kustomize check, commit, push, records) vs raw git add+commit+push',
      subject: ms(subject.medianMs),
      baseline: `${ms(baseline.medianMs)} (git add && git commit && git push)`,
      ratio,
      target: '≤ 2.0',
      ok: ratio <= 2.0,
    });
  }
  for (const handle of handles.splice(0)) await handle.stop();

  // --- 3: versions list throughput ----------------------------------------------------------------
  {
    const dataDir = join(work.path, 'many');
    await execa(binPath('smithd'), ['migrate', '--data-dir', dataDir]);
    const seededVersions = performance.now();
    seedVersions(dataDir, 'busy', 100_000);
    console.log(`stored 100,000 versions in ${ms(performance.now() - seededVersions)}`);
    const cores = pinLoadApartFromServers();
    const smithd = await startSmithd({ dataDir, wrapper: cores.serverPrefix });
    handles.push(smithd);
    const path = '/v1/apps/busy/versions';
    const headers = { authorization: `Bearer ${smithd.apiKey}` };
    const page = await fetch(`${smithd.url}${path}`, { headers });
    const body = await page.text();
    const parsed = JSON.parse(body) as { items: { deployedTo: string[] }[] };
    if (page.status !== 200 || parsed.items.length !== 50 || parsed.items[0]?.deployedTo[0] !== 'staging') {
      throw new Error(`unexpected first page: ${page.status} ${body.slice(0, 200)}`);
    }
    const port = await freePort();
    const constant = await startConstantServer(port, body, cores.serverPrefix);
    try {
      const subject: number[] = [];
      const baseline: number[] = [];
      // Both warmed up first (JIT, caches), then measured in turns, so machine noise hits both alike.
      await measureThroughput(`${smithd.url}${path}`, { headers, seconds: 2 });
      await measureThroughput(`http://127.0.0.1:${port}${path}`, { headers, seconds: 2 });
      for (let round = 0; round < 3; round++) {
        const s = await measureThroughput(`${smithd.url}${path}`, { headers, seconds: 4 });
        const b = await measureThroughput(`http://127.0.0.1:${port}${path}`, { headers, seconds: 4 });
        if (s.errors > 0 || b.errors > 0)
          throw new Error(`errors under load: smithd ${s.errors}, constant ${b.errors}`);
        subject.push(s.requestsPerSecond);
        baseline.push(b.requestsPerSecond);
      }
      const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
      const ratio = mean(subject) / mean(baseline);
      record({
        name: 'GET /v1/apps/:app/versions (100,000 versions, page of 50, repeated) throughput',
        subject: `${mean(subject).toFixed(0)} req/s`,
        baseline: `${mean(baseline).toFixed(0)} req/s (fastify, constant body of the same page)`,
        ratio,
        target: '≥ 0.5 (higher is better)',
        ok: ratio >= 0.5,
      });

      // Every page of the 100,000 versions in turn (more pages than smithd caches): the database path.
      const pages: string[] = [];
      for (let cursor: string | null = null; pages.length === 0 || cursor !== null; ) {
        const pagePath: string = cursor === null ? path : `${path}?cursor=${cursor}`;
        pages.push(pagePath);
        const next = (await (await fetch(`${smithd.url}${pagePath}`, { headers })).json()) as {
          nextCursor: string | null;
        };
        cursor = next.nextCursor;
      }
      const cold = await measureThroughput(`${smithd.url}${path}`, { headers, seconds: 5, paths: pages });
      const coldBaseline = await measureThroughput(`http://127.0.0.1:${port}${path}`, {
        headers,
        seconds: 5,
      });
      console.log(
        `info GET /v1/apps/:app/versions walking all ${pages.length} pages (uncached): ${cold.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${cold.latencyP50Ms} ms vs ${coldBaseline.requestsPerSecond.toFixed(0)} req/s constant → ratio ${(cold.requestsPerSecond / coldBaseline.requestsPerSecond).toFixed(2)}`,
      );
    } finally {
      await constant.stop();
      cores.unpin();
    }
  }
} finally {
  for (const handle of handles) await handle.stop();
  await work.remove();
}
