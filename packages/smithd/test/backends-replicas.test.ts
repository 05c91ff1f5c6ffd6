/**
 * More than one smithd: two replicas on one PostgreSQL database, one S3 bucket and one GitOps repo
 * take 200 concurrent deploys of 20 apps, and every one is recorded once, committed once, in one
 * straight line of history that Flux can build. And many repos deploying at once on one smithd do
 * not starve each other of database connections.
 */
import { join } from 'node:path';
import { createBareRepo, kustomizeBuild, listCommits, sampleManifests } from '@deploysmith/testkit/gitops';
import { publishVersion, type SmithdHandle, startSmithd } from '@deploysmith/testkit/smithd';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, call } from './support/api.ts';
import { type OwnServers, startOwnServers } from './support/own-servers.ts';
import { readTables } from './support/state.ts';

requireTool('git');
requireTool('kubectl');

let servers: OwnServers;
let dir: TempDir;
const started: SmithdHandle[] = [];

beforeAll(async () => {
  [servers, dir] = await Promise.all([startOwnServers(), tempDir('smithd-replicas-')]);
});

afterAll(async () => {
  await Promise.all(started.map((smithd) => smithd.stop()));
  await servers?.stop();
  await dir?.remove();
});

const APPS = Array.from({ length: 20 }, (_, i) => `app-${String(i + 1).padStart(2, '0')}`);
const VERSIONS = ['1', '2', '3', '4', '5'];
const ENVIRONMENTS = ['staging', 'production'];

describe('two replicas on one database and one GitOps repo', () => {
  it('take 200 concurrent deploys of 20 apps: each recorded once, committed once, in a linear history that builds', async () => {
    const remote = await createBareRepo(join(dir.path, 'fleet.git'));
    const backend = await servers.backend('replicas');
    // The check runs once per environment at the end instead of before each of the 200 pushes.
    const args = ['--gitops-repo', `gitops=${remote}`, '--kustomize-check', 'never'];
    const first = await startSmithd({ backend, args });
    const second = await startSmithd({ backend, args });
    started.push(first, second);
    const replicas = [first, { url: second.url, apiKey: first.apiKey }];

    // Every app's versions in order, the apps side by side, each publish through the other replica.
    await Promise.all(
      APPS.map(async (app, a) => {
        for (const [v, version] of VERSIONS.entries()) {
          await publishVersion(
            replicas[(a + v) % 2] as SmithdHandle,
            app,
            version,
            sampleManifests(app, version),
          );
        }
      }),
    );

    const requests = APPS.flatMap((app) =>
      VERSIONS.flatMap((version) => ENVIRONMENTS.map((environment) => ({ app, version, environment }))),
    );
    expect(requests).toHaveLength(200);
    const answers: Answer[] = await Promise.all(
      requests.map((deploy, i) =>
        call(replicas[i % 2] as SmithdHandle, 'POST', `/v1/apps/${deploy.app}/deployments`, {
          body: { version: deploy.version, environment: deploy.environment },
          headers: { 'idempotency-key': `load-${i}` },
        }),
      ),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const deployed = answers.map((answer) => answer.body.deployment as { id: string; commit: string });
    expect(new Set(deployed.map((d) => d.id)).size).toBe(200);

    // Recorded once: 200 rows, all succeeded, one per answer.
    const rows = (await readTables(first, ['deployments'])).deployments as {
      id: string;
      status: string;
      commit: string;
      app: string;
      environment: string;
      version: string;
    }[];
    expect(rows).toHaveLength(200);
    expect(rows.filter((row) => row.status !== 'succeeded')).toEqual([]);
    expect(new Set(rows.map((row) => row.id))).toEqual(new Set(deployed.map((d) => d.id)));

    // Committed once each, with the commit the answer named, in one straight line.
    const commits = await listCommits(remote);
    const byDeploy = new Map<string, string[]>();
    for (const commit of commits) {
      const id = commit.trailers['Deploy-Id'];
      if (id !== undefined) byDeploy.set(id, [...(byDeploy.get(id) ?? []), commit.commit]);
    }
    expect(byDeploy.size).toBe(200);
    for (const d of deployed) expect(byDeploy.get(d.id)).toEqual([d.commit]);
    expect((await execa('git', ['rev-list', '--merges', 'main'], { cwd: remote })).stdout).toBe('');
    commits.forEach((commit, i) => {
      expect(commit.parents).toEqual(i === 0 ? [] : [commits[i - 1]?.commit]);
    });

    // What runs where, by the database, is what the last commit for it says, and what Flux builds.
    const clone = join(dir.path, 'clone');
    await execa('git', ['clone', '-q', remote, clone]);
    for (const environment of ENVIRONMENTS) {
      const objects = await kustomizeBuild(join(clone, 'environments', environment, 'apps'));
      for (const app of APPS) {
        const last = commits.findLast(
          (c) => c.trailers.App === app && c.trailers.Environment === environment,
        );
        const status = (await call(first, 'GET', `/v1/apps/${app}`)).body.status.find(
          (s: { environment: string }) => s.environment === environment,
        );
        expect(status.current.version).toBe(last?.trailers.Version);
        const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === app) as
          | { spec: { template: { spec: { containers: { image: string }[] } } } }
          | undefined;
        expect(deployment?.spec.template.spec.containers[0]?.image).toBe(
          `registry.example.com/${app}:${status.current.version}`,
        );
      }
    }
  }, 300_000); // about 80 s on two cores; more while other suites run beside it
});

describe('many GitOps repos deploying at once on one smithd', () => {
  it('serves them all: a repo lock never takes a connection the deploys need', async () => {
    // More repos than the database pool has connections (10), each deploy holding its repo's lock
    // while it writes: a lock on a pool connection left the deploys' own queries none (they failed
    // after the 10 s wait for a connection).
    const repos = Array.from({ length: 12 }, (_, i) => `r${String(i + 1).padStart(2, '0')}`);
    const args = ['--kustomize-check', 'never'];
    for (const repo of repos) {
      args.push('--gitops-repo', `${repo}=${await createBareRepo(join(dir.path, `${repo}.git`))}`);
    }
    const smithd = await startSmithd({ backend: await servers.backend('many_repos'), args });
    started.push(smithd);
    for (const repo of repos) {
      const registered = await call(smithd, 'POST', '/v1/apps', {
        body: { name: `app-${repo}`, repo, environments: ['staging'] },
      });
      expect(registered.status).toBe(201);
      await publishVersion(smithd, `app-${repo}`, '1', sampleManifests(`app-${repo}`, '1'));
    }
    const answers = await Promise.all(
      repos.map((repo) =>
        call(smithd, 'POST', `/v1/apps/app-${repo}/deployments`, {
          body: { version: '1', environment: 'staging' },
        }),
      ),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    for (const repo of repos) {
      const commits = await listCommits(join(dir.path, `${repo}.git`));
      expect(commits.filter((c) => c.trailers.App === `app-${repo}`)).toHaveLength(1);
    }
  });
});
