/**
 * Running smithd: embedded defaults in the working directory, a configured GitOps repo from a YAML
 * file, HTTPS, the refusal to listen in clear text on the network, the draft janitor, and the
 * administrative commands.
 */
import { copyFile, mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { binPath, runCli } from '@deploysmith/testkit/bin';
import { createBareRepo, headOf, listCommits, sampleManifests } from '@deploysmith/testkit/gitops';
import { freePort, waitFor } from '@deploysmith/testkit/ports';
import { publishVersion, startSmithd } from '@deploysmith/testkit/smithd';
import { tempDir } from '@deploysmith/testkit/temp';
import { requireTool } from '@deploysmith/testkit/tools';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { call, draftAndUpload } from './support/api.ts';
import { builtObjects } from './support/gitops.ts';
import { tarGz, versionYml } from './support/tar.ts';

requireTool('git');

/** Starts bin/smithd as a user would, waits until `url` answers, and returns how to stop it. */
async function runSmithd(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; url: string; dispatcher?: Agent },
) {
  const child = execa(binPath('smithd'), args, {
    cwd: options.cwd,
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    all: true,
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  await waitFor(
    `smithd at ${options.url}`,
    async () => {
      if (exited) throw new Error(`smithd exited: ${(await child).all}`);
      const response = await request(`${options.url}/healthz`, { dispatcher: options.dispatcher });
      await response.body.dump();
      return response.statusCode === 200;
    },
    30_000,
  );
  return {
    async stop() {
      child.kill('SIGTERM');
      return (await child).all ?? '';
    },
  };
}

describe('embedded defaults', () => {
  it('keeps everything in .deploysmith/ of the working directory, with a bare GitOps repo for staging and production', async () => {
    await using cwd = await tempDir('smithd-cwd-');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await runSmithd(['--listen', `127.0.0.1:${port}`], { cwd: cwd.path, url });
    let output = '';
    try {
      const dataDir = join(cwd.path, '.deploysmith');
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect((await readdir(dataDir)).sort()).toEqual(
        expect.arrayContaining(['admin.key', 'gitops.git', 'smithd.db', 'storage']),
      );
      const commits = await listCommits(join(dataDir, 'gitops.git'));
      expect(commits).toHaveLength(1);
      const apiKey = (await import('node:fs/promises')).readFile(join(dataDir, 'admin.key'), 'utf8');
      const handle = { url, apiKey: (await apiKey).trim() };
      const ready = await call(handle, 'GET', '/readyz', { key: null });
      expect(ready.status).toBe(200);
      const files = await execa('git', ['ls-tree', '-r', '--name-only', 'main'], {
        cwd: join(dataDir, 'gitops.git'),
      });
      expect(files.stdout.split('\n')).toEqual(
        expect.arrayContaining([
          'clusters/staging/apps.yaml',
          'clusters/production/apps.yaml',
          'environments/staging/apps/kustomization.yaml',
          'environments/production/apps/kustomization.yaml',
        ]),
      );
    } finally {
      output = await server.stop();
    }
    expect(output).toContain(join(cwd.path, '.deploysmith', 'admin.key'));
  });

  it('refuses a network address without TLS, and accepts it when told TLS ends at an ingress', async () => {
    await using cwd = await tempDir('smithd-cwd-');
    const refused = await runCli('smithd', ['--listen', '0.0.0.0:0', '--data-dir', cwd.path]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0:0 without TLS/);
    expect(refused.stderr).toMatch(/--insecure-listen/);
    expect(await readdir(cwd.path)).toEqual([]);

    const port = await freePort();
    const server = await runSmithd(
      ['--listen', `0.0.0.0:${port}`, '--insecure-listen', '--data-dir', cwd.path],
      {
        cwd: cwd.path,
        url: `http://127.0.0.1:${port}`,
      },
    );
    await server.stop();
  });

  it('rejects a configuration file with an unknown key, naming it', async () => {
    await using cwd = await tempDir('smithd-cwd-');
    await writeFile(join(cwd.path, 'smithd.yaml'), 'listen: 127.0.0.1:1\nlisen: 127.0.0.1:2\n');
    const result = await runCli('smithd', ['--config', 'smithd.yaml'], { cwd: cwd.path });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/lisen/);
  });
});

describe('a configured GitOps repository', () => {
  it('deploys into the repo the YAML file names, with the author it names, seeding an empty remote', async () => {
    await using dir = await tempDir('smithd-fleet-');
    const remote = await createBareRepo(join(dir.path, 'fleet.git'));
    const config = join(dir.path, 'smithd.yaml');
    await writeFile(
      config,
      [
        'repos:',
        '  - name: fleet',
        `    url: ${remote}`,
        '    branch: main',
        '    author: { name: Fleet Bot, email: fleet@example.com }',
        'limits: { bundleFiles: 50 }',
      ].join('\n'),
    );
    const smithd = await startSmithd({ args: ['--config', config], env: { SMITHD_ENVIRONMENTS: 'ignored' } });
    try {
      await publishVersion(smithd, 'api', '1', sampleManifests('api', '1'));
      expect((await call(smithd, 'GET', '/v1/apps/api')).body.repo).toBe('fleet');
      const answer = await call(smithd, 'POST', '/v1/apps/api/deployments', {
        body: { version: '1', environment: 'staging' },
      });
      expect(answer.status).toBe(201);
      expect(await headOf(remote)).toBe(answer.body.deployment.commit);
      const author = await execa('git', ['log', '-1', '--format=%an <%ae>', 'main'], { cwd: remote });
      expect(author.stdout).toBe('Fleet Bot <fleet@example.com>');
      requireTool('kubectl');
      expect(await builtObjects(remote, 'staging')).toEqual(['Deployment//api', 'Service//api']);
      // No embedded repo when one is configured.
      expect(await readdir(smithd.dataDir)).not.toContain('gitops.git');
      // Registering for a repo that is not configured names the ones that are.
      const wrong = await call(smithd, 'POST', '/v1/apps', {
        body: { name: 'x', repo: 'gitops', environments: ['staging'] },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.hint).toMatch(/fleet/);
    } finally {
      await smithd.stop();
    }
  });
});

describe('HTTPS', () => {
  it('serves HTTPS with the given certificate and key', async () => {
    requireTool('openssl');
    await using dir = await tempDir('smithd-tls-');
    const cert = join(dir.path, 'cert.pem');
    const key = join(dir.path, 'key.pem');
    await execa('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const port = await freePort();
    const dispatcher = new Agent({
      connect: { ca: await (await import('node:fs/promises')).readFile(cert) },
    });
    const url = `https://127.0.0.1:${port}`;
    const server = await runSmithd(
      [
        '--listen',
        `127.0.0.1:${port}`,
        '--tls-cert',
        cert,
        '--tls-key',
        key,
        '--data-dir',
        join(dir.path, 'data'),
      ],
      { cwd: dir.path, url, dispatcher },
    );
    try {
      const apiKey = (
        await (await import('node:fs/promises')).readFile(join(dir.path, 'data', 'admin.key'), 'utf8')
      ).trim();
      const response = await request(`${url}/v1/apps`, {
        dispatcher,
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toEqual({ items: [] });
      // Upload URLs follow the scheme.
      await request(`${url}/v1/apps`, {
        dispatcher,
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'tls', environments: ['staging'] }),
      }).then((r) => r.body.dump());
      const draft = await request(`${url}/v1/apps/tls/versions`, {
        dispatcher,
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: '1',
          metadata: {
            gitSha: 'abcdef0',
            branch: null,
            tag: null,
            committer: null,
            buildNumber: null,
            pipelineUrl: null,
            createdAt: '2026-01-01T00:00:00Z',
          },
          sha256: 'f'.repeat(64),
          size: 10,
        }),
      });
      expect(((await draft.body.json()) as { upload: { url: string } }).upload.url).toMatch(
        /^https:\/\/127\.0\.0\.1:\d+\/uploads\//,
      );
    } finally {
      await server.stop();
      await dispatcher.close();
    }
  });
});

describe('the draft janitor', () => {
  it('deletes drafts older than 7 days, row and bundle, and keeps younger ones and published versions', async () => {
    const smithd = await startSmithd();
    try {
      await publishVersion(smithd, 'jan', '1', sampleManifests('jan', '1'));
      for (const id of ['old', 'young']) {
        const bytes = tarGz([{ name: 'version.yml', content: versionYml('jan', id) }]);
        expect((await draftAndUpload(smithd, 'jan', id, bytes)).upload?.status).toBe(200);
      }
      await smithd.kill('SIGTERM');
      const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
      const db = new Database(join(smithd.dataDir, 'smithd.db'));
      db.prepare("update versions set created_at = ? where id = 'old'").run(eightDaysAgo.toISOString());
      db.close();
      const oldFile = join(smithd.dataDir, 'storage', 'drafts', 'jan', 'old', 'bundle.tar.gz');
      await utimes(oldFile, eightDaysAgo, eightDaysAgo);
      // What a publish leaves when the database fails after the copy to published/.
      const strayCopy = join(smithd.dataDir, 'storage', 'published', 'jan', 'old', 'bundle.tar.gz');
      await mkdir(dirname(strayCopy), { recursive: true });
      await copyFile(oldFile, strayCopy);
      await smithd.restart();
      await waitFor(
        'the janitor',
        async () =>
          (await call(smithd, 'GET', '/v1/apps/jan/versions/old')).status === 404 &&
          (await stat(strayCopy).catch(() => undefined)) === undefined,
      );
      await expect(stat(oldFile)).rejects.toThrow();
      expect((await call(smithd, 'GET', '/v1/apps/jan/versions/young')).body.state).toBe('draft');
      expect((await call(smithd, 'GET', '/v1/apps/jan/versions/1')).body.state).toBe('published');
    } finally {
      await smithd.stop();
    }
  });
});

describe('administrative commands', () => {
  it('migrates a database and reports when it is up to date', async () => {
    await using dir = await tempDir('smithd-migrate-');
    const first = await runCli('smithd', ['migrate', '--data-dir', dir.path, '--json']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ applied: ['0001_init', '0002_app_revision'] });
    const second = await runCli('smithd', ['migrate', '--data-dir', dir.path]);
    expect(second.stdout.trim()).toBe('The database is up to date.');
  });

  it('shows examples in --help for every command', async () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['keys', 'create', '--help'],
      ['keys', 'list', '--help'],
      ['keys', 'revoke', '--help'],
      ['migrate', '--help'],
      ['history', 'rebuild', '--help'],
    ]) {
      const help = await runCli('smithd', args);
      expect(help.exitCode, args.join(' ')).toBe(0);
      if (args[0] !== '--help') expect(help.stdout, args.join(' ')).toContain('Examples:');
    }
  });
});
