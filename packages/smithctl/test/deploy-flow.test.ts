/**
 * The built smithctl against a real smithd (SQLite, disk storage) and its real bare GitOps repo:
 * register, list, deploy, rollbacks and pins, policies and auto-deploys, dry runs, status and
 * history after each step. After every deploy the repo is cloned afresh and the app folder must
 * hold exactly the version's manifests plus the generated kustomization.yaml, and the environment
 * must build with `kubectl kustomize`. The steps build on each other, so they run in order.
 */
import type {
  App,
  DeploymentList,
  DeployResponse,
  DryRunResponse,
  PolicyList,
  VersionList,
} from '@deploysmith/core';
import { runCli } from '@deploysmith/testkit/bin';
import { listCommits, sampleManifests } from '@deploysmith/testkit/gitops';
import {
  type ManifestInput,
  publishVersion,
  type SmithdHandle,
  startSmithd,
} from '@deploysmith/testkit/smithd';
import { type TempDir, tempDir } from '@deploysmith/testkit/temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Smithctl, smithctlWith } from './support/cli.ts';
import { readEnvironment, remoteHead } from './support/gitops-view.ts';
import { startRecordingProxy } from './support/recording-proxy.ts';

const APP = 'hello';

let smithd: SmithdHandle;
let home: TempDir;
let smithctl: Smithctl;
let aliceKey: string;

/** What each version holds: 1.2.0 adds a ConfigMap, so going back from it must remove a file. */
function manifestsOf(version: string): ManifestInput[] {
  const files: ManifestInput[] = sampleManifests(APP, version).map((file) => ({
    path: file.path,
    content: file.content,
  }));
  if (version === '1.2.0') {
    files.push({
      path: 'config/settings.yaml',
      content: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello-settings\ndata:\n  greeting: hi # added in 1.2.0\n`,
    });
  }
  return files;
}

function objectsOf(version: string): string[] {
  return [
    'Deployment//hello',
    'Service//hello',
    ...(version === '1.2.0' ? ['ConfigMap//hello-settings'] : []),
  ].sort();
}

const text = (content: string | Uint8Array) =>
  typeof content === 'string' ? content : new TextDecoder().decode(content);

/** The app folder in a fresh clone holds exactly the version's files (byte for byte) and builds. */
async function expectDeployed(environment: string, version: string): Promise<void> {
  const view = await readEnvironment(smithd.gitopsRemote, environment, APP);
  const expected = Object.fromEntries(manifestsOf(version).map((file) => [file.path, text(file.content)]));
  expect(Object.keys(view.appFolder).sort()).toEqual([...Object.keys(expected), 'kustomization.yaml'].sort());
  for (const [path, content] of Object.entries(expected)) expect(view.appFolder[path]).toBe(content);
  expect(view.builtObjects).toEqual(objectsOf(version));
}

async function expectNothingDeployed(environment: string): Promise<void> {
  const view = await readEnvironment(smithd.gitopsRemote, environment, APP);
  expect(view.appFolder).toEqual({});
}

const status = () => smithctl.json<App>(['status', APP]);
const statusOf = async (environment: string) =>
  (await status()).status.find((entry) => entry.environment === environment);
const history = async (environment?: string) =>
  (await smithctl.json<DeploymentList>(['history', APP, ...(environment ? ['--env', environment] : [])]))
    .items;

function commitIn(output: string): string {
  const match = /commit ([0-9a-f]{40})/.exec(output);
  if (!match?.[1]) throw new Error(`no commit in:\n${output}`);
  return match[1];
}

/** Everything a failed command must leave as it was: the remote branch, the history, the status. */
async function snapshot() {
  return { head: await remoteHead(smithd.gitopsRemote), history: await history(), status: await status() };
}

beforeAll(async () => {
  smithd = await startSmithd();
  home = await tempDir('smithctl-home-');
  // A second key, so pins and history name a person: alice.
  const created = await runCli('smithd', [
    'keys',
    'create',
    '--name',
    'alice',
    '--data-dir',
    smithd.dataDir,
    '--json',
  ]);
  expect(created.exitCode, created.stderr).toBe(0);
  aliceKey = JSON.parse(created.stdout).key;
  smithctl = smithctlWith(home.path);
  const login = await smithctl(['login', '--server', smithd.url, '--api-key', aliceKey]);
  expect(login.exitCode, login.stderr).toBe(0);
});

afterAll(async () => {
  await smithd?.stop();
  await home?.remove();
});

describe('apps', () => {
  it('registers an app with its environments and prints the API resource with --json', async () => {
    const app = await smithctl.json<App>([
      'apps',
      'register',
      APP,
      '--env',
      'staging',
      '--env',
      'production',
    ]);
    expect(app).toMatchObject({ name: APP, repo: 'gitops', environments: ['staging', 'production'] });
    expect(app.status.map((entry) => [entry.environment, entry.current])).toEqual([
      ['staging', null],
      ['production', null],
    ]);
  });

  it('refuses to register the same app with other environments, changing nothing', async () => {
    const result = await smithctl(['apps', 'register', APP, '--env', 'qa']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('[conflict]');
    expect((await status()).environments).toEqual(['staging', 'production']);
  });

  it('lists the apps and what runs in each environment', async () => {
    const result = await smithctl(['apps', 'list']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[1]?.split(/\s{2,}/)).toEqual([
      APP,
      'gitops',
      'staging=-',
      'production=-',
    ]);
  });
});

describe('versions', () => {
  beforeAll(async () => {
    await publishVersion(smithd, APP, '0.9.0', manifestsOf('0.9.0'), {
      branch: 'feature/login',
      committer: 'bob',
    });
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      await publishVersion(smithd, APP, version, manifestsOf(version), { committer: 'carol' });
    }
  });

  it('lists versions newest first with short sha, branch, committer and age', async () => {
    const result = await smithctl(['versions', APP]);
    expect(result.exitCode).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(['VERSION', 'SHA', 'BRANCH', 'COMMITTER', 'AGE', 'DEPLOYED TO']);
    expect(rows.slice(1).map((row) => [row[0], row[2], row[3], row[5]])).toEqual([
      ['1.2.0', 'main', 'carol', '-'],
      ['1.1.0', 'main', 'carol', '-'],
      ['1.0.0', 'main', 'carol', '-'],
      ['0.9.0', 'feature/login', 'bob', '-'],
    ]);
    expect(rows[1]?.[1]).toMatch(/^[0-9a-f]{7}$/);
  });

  it('pages with --limit and --cursor, and follows every page with --all', async () => {
    const first = await smithctl.json<VersionList>(['versions', APP, '--limit', '3']);
    expect(first.items.map((version) => version.id)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await smithctl.json<VersionList>([
      'versions',
      APP,
      '--limit',
      '3',
      '--cursor',
      first.nextCursor as string,
    ]);
    expect(second).toMatchObject({ items: [{ id: '0.9.0' }], nextCursor: null });
    const all = await smithctl.json<VersionList>(['versions', APP, '--all', '--limit', '1']);
    expect(all.items.map((version) => version.id)).toEqual(['1.2.0', '1.1.0', '1.0.0', '0.9.0']);
    expect(all.nextCursor).toBeNull();

    const table = await smithctl(['versions', APP, '--limit', '3']);
    expect(table.stderr).toContain(`smithctl versions ${APP} --cursor ${first.nextCursor}`);
  });

  it('filters by branch glob', async () => {
    const list = await smithctl.json<VersionList>(['versions', APP, '--branch', 'feature/*']);
    expect(list.items.map((version) => version.id)).toEqual(['0.9.0']);
  });

  it('shows one version with its files', async () => {
    const version = await smithctl.json(['versions', 'show', APP, '1.2.0']);
    expect(version).toMatchObject({ app: APP, id: '1.2.0', state: 'published', deployedTo: [] });
    expect([...version.files].sort()).toEqual(['config/settings.yaml', 'deployment.yaml', 'service.yaml']);
    const shown = await smithctl(['versions', 'show', APP, '1.2.0']);
    expect(shown.stdout).toContain('config/settings.yaml');
  });
});

describe('deploy', () => {
  it('deploys a version, prints the commit it pushed, and the app folder holds exactly its manifests', async () => {
    const result = await smithctl(['deploy', APP, '1.1.0', '--env', 'staging']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Deployed ${APP} 1.1.0 to staging: commit`);
    const commit = commitIn(result.stdout);
    expect(await remoteHead(smithd.gitopsRemote)).toBe(commit);
    await expectDeployed('staging', '1.1.0');
    await expectNothingDeployed('production');

    expect(await statusOf('staging')).toMatchObject({
      current: { version: '1.1.0', commit, kind: 'deploy', requestedBy: 'alice' },
      pin: null,
    });
    expect(await history()).toMatchObject([
      { environment: 'staging', version: '1.1.0', kind: 'deploy', commit },
    ]);
    const versions = await smithctl(['versions', APP]);
    expect(versions.stdout).toMatch(/^1\.1\.0\s.*\sstaging$/m);
  });

  it('deploys a newer version and says which one it replaced', async () => {
    const response = await smithctl.json<DeployResponse>(['deploy', APP, '1.2.0', '--env', 'staging']);
    expect(response).toMatchObject({
      noop: false,
      deployment: {
        version: '1.2.0',
        environment: 'staging',
        kind: 'deploy',
        previousVersion: '1.1.0',
        status: 'succeeded',
      },
    });
    expect(await remoteHead(smithd.gitopsRemote)).toBe(response.deployment.commit);
    await expectDeployed('staging', '1.2.0');
    expect((await history('staging')).map((d) => [d.version, d.kind])).toEqual([
      ['1.2.0', 'deploy'],
      ['1.1.0', 'deploy'],
    ]);
    const shown = await smithctl(['status', APP]);
    expect(shown.stdout).toMatch(/^staging\s+1\.2\.0\s+\S+ ago\s+alice\s+[0-9a-f]{7}\s+deploy\s+-\s+-$/m);
  });

  it('says when the version is already deployed, and writes nothing', async () => {
    const before = await snapshot();
    const result = await smithctl(['deploy', APP, '1.2.0', '--env', 'staging']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`${APP} 1.2.0 is already deployed to staging; nothing changed`);
    expect(await snapshot()).toEqual(before);
  });

  it('--dry-run prints the plan and the diff, exits 0 and changes nothing', async () => {
    const before = await snapshot();
    const result = await smithctl(['deploy', APP, '1.0.0', '--env', 'production', '--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Plan: deploy of ${APP} in production: nothing deployed → 1.0.0`);
    expect(result.stdout).toContain('  added    environments/production/apps/hello/deployment.yaml');
    expect(result.stdout).toContain('+++ b/environments/production/apps/hello/deployment.yaml');
    expect(result.stdout).toContain('+          image: registry.example.com/hello:1.0.0');
    expect(result.stdout).toContain('Dry run: nothing was changed.');
    expect(result.stdout).not.toContain('\u001b[');

    const plan = await smithctl.json<DryRunResponse>([
      'deploy',
      APP,
      '1.1.0',
      '--env',
      'staging',
      '--dry-run',
    ]);
    expect(plan).toMatchObject({
      dryRun: true,
      kind: 'rollback',
      previousVersion: '1.2.0',
      version: '1.1.0',
    });
    expect(plan.plan.removed).toEqual(['environments/staging/apps/hello/config/settings.yaml']);
    expect(plan.plan.diff).toContain('-          image: registry.example.com/hello:1.2.0');

    expect(await snapshot()).toEqual(before);
    await expectNothingDeployed('production');
    await expectDeployed('staging', '1.2.0');
  });

  it('calls a deploy of an older version a rollback and, without a terminal, needs --yes', async () => {
    const before = await snapshot();
    const refused = await smithctl(['deploy', APP, '1.1.0', '--env', 'staging']);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain('Roll back hello in staging from 1.2.0 to 1.1.0?');
    expect(refused.stderr).toContain('[confirmation_required]');
    expect(refused.stderr).toContain('hint: Add --yes to confirm.');
    expect(await snapshot()).toEqual(before);
    await expectDeployed('staging', '1.2.0');

    const result = await smithctl(['deploy', APP, '1.1.0', '--env', 'staging', '--yes']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Rolled back ${APP} in staging from 1.2.0 to 1.1.0: commit`);
    expect(result.stdout).toContain('staging is pinned to 1.1.0');
    expect(await remoteHead(smithd.gitopsRemote)).toBe(commitIn(result.stdout));
    await expectDeployed('staging', '1.1.0');

    expect(await statusOf('staging')).toMatchObject({
      current: { version: '1.1.0', kind: 'rollback', previousVersion: '1.2.0' },
      pin: { version: '1.1.0', pinnedBy: 'alice' },
    });
    expect((await history('staging'))[0]).toMatchObject({
      version: '1.1.0',
      kind: 'rollback',
      previousVersion: '1.2.0',
    });
    const shown = await smithctl(['status', APP]);
    expect(shown.stdout).toMatch(/pinned to 1\.1\.0 by alice \d+[smhd] ago/);
    expect(shown.stdout).toContain(
      'staging is pinned: auto-deploy skips it until `smithctl unpin hello --env staging`',
    );
  });

  it('rolls back to the version before the current one, showing from → to and asking on a terminal', async () => {
    for (const version of ['1.0.0', '1.2.0']) {
      const deployed = await smithctl(['deploy', APP, version, '--env', 'production']);
      expect(deployed.exitCode, deployed.stderr).toBe(0);
      await expectDeployed('production', version);
    }
    const before = await snapshot();

    const noTerminal = await smithctl(['rollback', APP, '--env', 'production']);
    expect(noTerminal.exitCode).toBe(5);
    const declined = await smithctl.onTerminal(['rollback', APP, '--env', 'production'], 'n\n');
    expect(declined.exitCode).toBe(5);
    expect(declined.stdout).toContain('Roll back hello in production from 1.2.0 to 1.0.0?');
    expect(declined.stdout).toContain('[y/N]');
    expect(declined.stdout).toContain('Not confirmed; nothing was changed.');
    expect(await snapshot()).toEqual(before);

    const accepted = await smithctl.onTerminal(['rollback', APP, '--env', 'production'], 'y\n');
    expect(accepted.exitCode, accepted.stdout).toBe(0);
    expect(accepted.stdout).toContain('Rolled back hello in production from 1.2.0 to 1.0.0: commit');
    await expectDeployed('production', '1.0.0');
    expect((await history('production')).map((d) => [d.version, d.kind, d.previousVersion])).toEqual([
      ['1.0.0', 'rollback', '1.2.0'],
      ['1.2.0', 'deploy', '1.0.0'],
      ['1.0.0', 'deploy', null],
    ]);
    expect((await statusOf('production'))?.pin).toMatchObject({ version: '1.0.0', pinnedBy: 'alice' });
  });

  it('refuses a rollback that would move forward, and points at deploy', async () => {
    const before = await snapshot();
    // production runs 1.0.0, deployed over 1.2.0: "the version before" is newer.
    const result = await smithctl(['rollback', APP, '--env', 'production', '--yes']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      '1.2.0 is not older than 1.0.0, which runs in production: that is not a rollback.',
    );
    expect(result.stderr).toContain('smithctl deploy hello 1.2.0 --env production');
    expect(await snapshot()).toEqual(before);
  });

  it('rollback --dry-run prints the plan and changes nothing', async () => {
    const before = await snapshot();
    const result = await smithctl(['rollback', APP, '--env', 'staging', '--to', '1.0.0', '--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Plan: rollback of hello in staging: 1.1.0 → 1.0.0');
    expect(result.stdout).toContain('-          image: registry.example.com/hello:1.1.0');
    expect(result.stdout).toContain('+          image: registry.example.com/hello:1.0.0');
    expect(await snapshot()).toEqual(before);
  });

  it('colours the diff on a terminal, and not with NO_COLOR', async () => {
    const coloured = await smithctl.onTerminal(['deploy', APP, '1.2.0', '--env', 'staging', '--dry-run'], '');
    expect(coloured.exitCode).toBe(0);
    const green = '\u001b[32m';
    expect(coloured.stdout).toContain(`${green}+          image: registry.example.com/hello:1.2.0`);
    const plain = await smithctl.onTerminal(['deploy', APP, '1.2.0', '--env', 'staging', '--dry-run'], '', {
      NO_COLOR: '1',
    });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain('+          image: registry.example.com/hello:1.2.0');
    expect(plain.stdout).not.toContain('\u001b[');
  });
});

describe('auto-deploy policies and rollback pins', () => {
  it('sets and lists policies', async () => {
    const set = await smithctl(['policy', 'set', APP, '--env', 'staging', '--branch', 'main']);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toContain('hello now auto-deploys to staging the versions of branch main.');
    const policy = await smithctl.json([
      'policy',
      'set',
      APP,
      '--env',
      'production',
      '--branch',
      'main',
      '--tag',
      'v*',
    ]);
    expect(policy).toMatchObject({ environment: 'production', branch: 'main', tag: 'v*' });
    const list = await smithctl.json<PolicyList>(['policy', 'list', APP]);
    expect(list.items.map((p) => [p.environment, p.branch, p.tag]).sort()).toEqual([
      ['production', 'main', 'v*'],
      ['staging', 'main', null],
    ]);
    const shown = await smithctl(['status', APP]);
    expect(shown.stdout).toMatch(/^staging\s.*\sbranch main$/m);
    expect(shown.stdout).toMatch(/^production\s.*\sbranch main, tag v\*$/m);
  });

  it('does not auto-deploy a publish to environments a rollback pinned', async () => {
    const before = await remoteHead(smithd.gitopsRemote);
    const published = await publishVersion(smithd, APP, '1.3.0', manifestsOf('1.3.0'));
    expect(published.deployments).toEqual([]);
    expect(published.skipped.map((skip) => skip.environment).sort()).toEqual(['production', 'staging']);
    expect(published.skipped[0]?.reason).toContain('pinned by alice');
    expect(await remoteHead(smithd.gitopsRemote)).toBe(before);
    await expectDeployed('staging', '1.1.0');
    await expectDeployed('production', '1.0.0');
    const shown = await smithctl(['status', APP]);
    expect(shown.stdout).toContain('pinned to 1.1.0 by alice');
    expect(shown.stdout).toContain('pinned to 1.0.0 by alice');
  });

  it('auto-deploys the next publish after unpin', async () => {
    const result = await smithctl(['unpin', APP, '--env', 'staging']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Unpinned hello in staging \(pinned to 1\.1\.0 by alice \d+[smhd] ago\)/);
    expect((await statusOf('staging'))?.pin).toBeNull();
    const again = await smithctl.json(['unpin', APP, '--env', 'staging']);
    expect(again).toEqual({ app: APP, environment: 'staging', unpinned: null });

    const published = await publishVersion(smithd, APP, '1.4.0', manifestsOf('1.4.0'));
    expect(published.deployments.map((d) => [d.environment, d.version, d.kind])).toEqual([
      ['staging', '1.4.0', 'auto-deploy'],
    ]);
    expect(published.skipped.map((skip) => skip.environment)).toEqual(['production']);
    await expectDeployed('staging', '1.4.0');
    await expectDeployed('production', '1.0.0');
    expect((await history('staging'))[0]).toMatchObject({
      version: '1.4.0',
      kind: 'auto-deploy',
      previousVersion: '1.1.0',
    });
    const shown = await smithctl(['history', APP, '--env', 'staging']);
    expect(shown.stdout.split('\n')[1]).toMatch(/^\S+ ago\s+staging\s+1\.4\.0\s+auto-deploy\s+1\.1\.0\s/);
  });

  it('lifts the pin when a newer version is deployed by hand', async () => {
    const result = await smithctl(['deploy', APP, '1.4.0', '--env', 'production']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await statusOf('production'))?.pin).toBeNull();
    const published = await publishVersion(smithd, APP, '1.5.0', manifestsOf('1.5.0'));
    expect(published.deployments.map((d) => d.environment).sort()).toEqual(['production', 'staging']);
    await expectDeployed('staging', '1.5.0');
    await expectDeployed('production', '1.5.0');
  });

  it('stops auto-deploying to an environment whose policy is removed', async () => {
    const removed = await smithctl(['policy', 'rm', APP, '--env', 'staging']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(
      (await smithctl.json<PolicyList>(['policy', 'list', APP])).items.map((p) => p.environment),
    ).toEqual(['production']);
    const published = await publishVersion(smithd, APP, '1.6.0', manifestsOf('1.6.0'));
    expect(published.deployments.map((d) => d.environment)).toEqual(['production']);
    await expectDeployed('staging', '1.5.0');
    await expectDeployed('production', '1.6.0');
  });
});

describe('exactly once', () => {
  it('sends one Idempotency-Key per deploy and reuses it when the answer was lost, so smithd commits once', async () => {
    const proxy = await startRecordingProxy(smithd.url);
    try {
      const commitsBefore = (await listCommits(smithd.gitopsRemote)).length;
      const historyBefore = await history('staging');
      proxy.loseNextDeployAnswer();
      const result = await smithctl([
        'deploy',
        APP,
        '1.6.0',
        '--env',
        'staging',
        '--server',
        proxy.url,
        '--api-key',
        aliceKey,
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Deployed ${APP} 1.6.0 to staging (was 1.5.0): commit`);

      const deploys = proxy.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'));
      const [plan, first, retry] = deploys;
      expect(deploys).toHaveLength(3);
      expect(JSON.parse(plan?.body ?? '{}')).toMatchObject({ dryRun: true });
      expect(first?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(retry?.idempotencyKey).toBe(first?.idempotencyKey);

      const commits = await listCommits(smithd.gitopsRemote);
      expect(commits).toHaveLength(commitsBefore + 1);
      expect(commits.at(-1)?.commit).toBe(commitIn(result.stdout));
      expect(await history('staging')).toHaveLength(historyBefore.length + 1);
      await expectDeployed('staging', '1.6.0');

      // The next invocation is another deploy: it gets a key of its own.
      const again = await smithctl([
        'deploy',
        APP,
        '1.5.0',
        '--env',
        'staging',
        '--yes',
        '--server',
        proxy.url,
        '--api-key',
        aliceKey,
      ]);
      expect(again.exitCode, again.stderr).toBe(0);
      const keys = proxy.requests.map((r) => r.idempotencyKey).filter((key) => key !== undefined);
      expect(new Set(keys).size).toBe(2);
      await expectDeployed('staging', '1.5.0');
    } finally {
      await proxy.close();
    }
  });
});

describe('failures: a clear error, a non-zero exit, nothing changed', () => {
  it('names an unknown app', async () => {
    const before = await snapshot();
    for (const args of [
      ['deploy', 'nope', '1.0.0', '--env', 'staging'],
      ['rollback', 'nope', '--env', 'staging', '--yes'],
      ['status', 'nope'],
      ['versions', 'nope'],
      ['history', 'nope'],
    ]) {
      const result = await smithctl(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: No app named nope\. \[not_found\]$/m);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('names an unknown version', async () => {
    const before = await snapshot();
    for (const args of [
      ['deploy', APP, '9.9.9', '--env', 'staging'],
      ['rollback', APP, '--env', 'staging', '--to', '9.9.9', '--yes'],
      ['versions', 'show', APP, '9.9.9'],
    ]) {
      const result = await smithctl(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('has no version 9.9.9');
      expect(result.stderr).toContain('[not_found]');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('names an unknown environment', async () => {
    const before = await snapshot();
    for (const args of [
      ['deploy', APP, '1.0.0', '--env', 'qa'],
      ['rollback', APP, '--env', 'qa', '--yes'],
      ['unpin', APP, '--env', 'qa'],
      ['policy', 'set', APP, '--env', 'qa', '--branch', 'main'],
    ]) {
      const result = await smithctl(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/has no environment "?qa/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses invalid names before sending anything (exit 1)', async () => {
    const result = await smithctl(['deploy', 'Hello_World', '1.0.0', '--env', 'staging']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Invalid app name "Hello_World"');
  });

  it('fails with exit 4 on a wrong key, saying so', async () => {
    const before = await snapshot();
    const result = await smithctl([
      'deploy',
      APP,
      '1.0.0',
      '--env',
      'staging',
      '--yes',
      '--api-key',
      'dsk_wrong',
    ]);
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('[unauthorized]');
    expect(await snapshot()).toEqual(before);
  });

  it('prints the error as JSON on stdout with --json', async () => {
    const result = await smithctl(['status', 'nope', '--json']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { code: 'not_found', message: 'No app named nope.' },
    });
  });
});
